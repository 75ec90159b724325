from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qnwmh.supervision"
    label = "supervision"

    def ready(self) -> None:
        from qnwmh.supervision import rules  # noqa: F401
