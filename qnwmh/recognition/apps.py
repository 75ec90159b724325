from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "qnwmh.recognition"
    label = "recognition"
    verbose_name = "表彰与典型"

    def ready(self) -> None:
        from qnwmh.recognition import rules  # noqa: F401
        from qnwmh.recognition.notices import register_kinds

        register_kinds()
