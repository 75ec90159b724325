from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "qnwmh.certification"
    label = "certification"
    verbose_name = "评选认定"

    def ready(self) -> None:
        from qnwmh.certification import rules, testing  # noqa: F401
        from qnwmh.certification.notices import register_kinds
        from qnwmh.certification.services.round import register_phase_hooks

        register_kinds()
        register_phase_hooks()
        testing.register()
