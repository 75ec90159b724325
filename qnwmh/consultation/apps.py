from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "qnwmh.consultation"
    label = "consultation"
    verbose_name = "征求意见"
