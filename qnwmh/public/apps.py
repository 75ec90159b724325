from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "qnwmh.public"
    label = "public"

    def ready(self) -> None:
        from qnwmh.public import rules  # noqa: F401
