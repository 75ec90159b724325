from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qnwmh.api"
    label = "api"

    def ready(self) -> None:
        from qnwmh.api import rules  # noqa: F401
