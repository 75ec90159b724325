from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "qnwmh.certification"
    label = "certification"
    verbose_name = "评选认定"

    def ready(self) -> None:
        from qnwmh.certification import rules  # noqa: F401
        from qnwmh.certification.notices import register_kinds

        register_kinds()
