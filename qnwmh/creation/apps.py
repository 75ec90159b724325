from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "qnwmh.creation"
    label = "creation"

    def ready(self) -> None:
        from qnwmh.creation import rules  # noqa: F401
