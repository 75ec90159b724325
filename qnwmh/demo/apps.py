from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qnwmh.demo"
    label = "demo"

    def ready(self) -> None:
        from qnwmh.demo import checks  # noqa: F401
