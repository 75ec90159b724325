from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "qnwmh.cycles"
    label = "cycles"

    def ready(self) -> None:
        from qnwmh.cycles import counts, rules  # noqa: F401
        from qnwmh.cycles.notices import register_kinds
        from qnwmh.cycles.services.cycle import register_phase_hooks

        register_kinds()
        register_phase_hooks()
        counts.connect()
