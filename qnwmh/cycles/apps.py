from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "qnwmh.cycles"
    label = "cycles"
