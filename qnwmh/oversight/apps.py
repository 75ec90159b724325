from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "qnwmh.oversight"
    label = "oversight"
    verbose_name = "动态管理"

    def ready(self) -> None:
        from qnwmh.oversight import rules  # noqa: F401
        from qnwmh.oversight.notices import register_kinds

        register_kinds()
