from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "qnwmh.exchange"
    label = "exchange"
    verbose_name = "交流活动"
