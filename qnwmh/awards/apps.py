from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "qnwmh.awards"
    label = "awards"
    verbose_name = "评定与授牌"

    def ready(self) -> None:
        from qnwmh.awards import rules  # noqa: F401
        from qnwmh.awards.notices import register_kinds
        from qnwmh.awards.phases import register_phase_hooks

        register_kinds()
        register_phase_hooks()
