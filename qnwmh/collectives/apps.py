from django.apps import AppConfig


class CollectivesConfig(AppConfig):
    name = "qnwmh.collectives"
    label = "collectives"

    def ready(self) -> None:
        from qnwmh.collectives import counts, rules  # noqa: F401
        from qnwmh.collectives.tasks import refresh_eligibility
        from qnwmh.programme.services import rules_changed_handlers

        if refresh_eligibility not in rules_changed_handlers:
            rules_changed_handlers.append(refresh_eligibility)
        counts.connect()
