from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "qnwmh.training"
    label = "training"
    verbose_name = "领导轮训"
