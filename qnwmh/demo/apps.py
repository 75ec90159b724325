from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qnwmh.demo"
    label = "demo"
