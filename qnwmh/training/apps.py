from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "qnwmh.training"
    label = "training"
    verbose_name = "领导轮训"

    def ready(self) -> None:
        from qnwmh.training import rules  # noqa: F401
        from qnwmh.training.notices import register_kinds
        from qnwmh.training.testing import register

        register_kinds()
        register()
