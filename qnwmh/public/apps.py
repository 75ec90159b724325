from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "qnwmh.public"
    label = "public"
