from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "qnwmh.creation"
    label = "creation"

    def ready(self) -> None:
        from qnwmh.creation import receivers, rules  # noqa: F401

        receivers.connect()
