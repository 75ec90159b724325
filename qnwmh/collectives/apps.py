from django.apps import AppConfig


class CollectivesConfig(AppConfig):
    name = "qnwmh.collectives"
    label = "collectives"

    def ready(self) -> None:
        from qnwmh.collectives import rules  # noqa: F401
        from qnwmh.collectives.services import eligibility_refresh_all
        from qnwmh.programme.services import rules_changed_handlers

        rules_changed_handlers.append(eligibility_refresh_all)
