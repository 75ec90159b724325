from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qnwmh.core"
    label = "core"
