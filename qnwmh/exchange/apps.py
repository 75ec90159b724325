from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "qnwmh.exchange"
    label = "exchange"
    verbose_name = "交流活动"

    def ready(self) -> None:
        from qnwmh.exchange import rules  # noqa: F401
        from qnwmh.exchange.notices import register_kinds

        register_kinds()
