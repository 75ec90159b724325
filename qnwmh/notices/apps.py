from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "qnwmh.notices"
    label = "notices"
