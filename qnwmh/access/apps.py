from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Role grants, the request's actor and API tokens: what people may do, placed after the
    organisations and collectives that roles are granted on."""

    name = "qnwmh.access"
    label = "access"

    def ready(self) -> None:
        from qnwmh.access import rules, signals  # noqa: F401
        from qnwmh.access.actor import GRANTS_KEY, grants_of
        from qnwmh.accounts import kept

        kept.READERS[GRANTS_KEY] = grants_of
        from qnwmh.access.tokens import tokens_revoke_all
        from qnwmh.accounts.services import password_changed_handlers

        password_changed_handlers.append(tokens_revoke_all)
