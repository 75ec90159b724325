from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "qnwmh.knowledge"
    label = "knowledge"
    verbose_name = "知识测试"

    def ready(self) -> None:
        from qnwmh.knowledge import rules  # noqa: F401
