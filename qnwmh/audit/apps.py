from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "qnwmh.audit"
    label = "audit"

    def ready(self) -> None:
        from qnwmh.audit import rules  # noqa: F401
