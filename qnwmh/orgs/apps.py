from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "qnwmh.orgs"
    label = "orgs"

    def ready(self) -> None:
        from qnwmh.orgs import rules  # noqa: F401
