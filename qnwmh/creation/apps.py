from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "qnwmh.creation"
    label = "creation"
