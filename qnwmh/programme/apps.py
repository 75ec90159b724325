from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "qnwmh.programme"
    label = "programme"

    def ready(self) -> None:
        from qnwmh.programme import rules  # noqa: F401
