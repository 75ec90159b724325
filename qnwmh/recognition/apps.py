from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "qnwmh.recognition"
    label = "recognition"
    verbose_name = "表彰与典型"
