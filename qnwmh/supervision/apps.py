from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qnwmh.supervision"
    label = "supervision"
