from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "qnwmh.audit"
    label = "audit"
