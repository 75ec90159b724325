from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "qnwmh.consultation"
    label = "consultation"
    verbose_name = "征求意见"

    def ready(self) -> None:
        from qnwmh.consultation import rules  # noqa: F401
        from qnwmh.consultation.notices import register_kinds

        register_kinds()
