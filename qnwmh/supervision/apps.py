from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qnwmh.supervision"
    label = "supervision"

    def ready(self) -> None:
        from qnwmh.evidence.rules import PUBLIC_UPLOAD_PURPOSES
        from qnwmh.evidence.selectors import MANAGER_HIDDEN_PURPOSES
        from qnwmh.supervision import rules  # noqa: F401
        from qnwmh.supervision.models import PHOTO_PURPOSE
        from qnwmh.supervision.notices import register_kinds

        register_kinds()

        # Anyone may attach a photo to a complaint; the collective's own managers never see it.
        PUBLIC_UPLOAD_PURPOSES.add(PHOTO_PURPOSE)
        MANAGER_HIDDEN_PURPOSES.add(PHOTO_PURPOSE)
