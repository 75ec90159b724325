from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qnwmh.api"
    label = "api"

    def ready(self) -> None:
        from qnwmh.accounts.services import password_changed_handlers
        from qnwmh.api import rules  # noqa: F401
        from qnwmh.api.services import tokens_revoke_all

        password_changed_handlers.append(tokens_revoke_all)
