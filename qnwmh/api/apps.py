from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qnwmh.api"
    label = "api"
