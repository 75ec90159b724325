from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qnwmh.accounts"
    label = "accounts"

    def ready(self) -> None:
        from qnwmh.accounts import rules, signals  # noqa: F401
