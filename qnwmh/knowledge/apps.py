from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "qnwmh.knowledge"
    label = "knowledge"
    verbose_name = "知识测试"

    def ready(self) -> None:
        from qnwmh.core import worker
        from qnwmh.knowledge import rules, services  # noqa: F401

        # Sittings past their deadline close within a minute even if nobody reads them.
        if services.sweep not in worker.sweeps:
            worker.sweeps.append(services.sweep)
