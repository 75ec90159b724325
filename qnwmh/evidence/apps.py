from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "qnwmh.evidence"
    label = "evidence"

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        from qnwmh.evidence import rules  # noqa: F401

        # Pillow refuses images above this many pixels at open() (DecompressionBombError at
        # twice the figure, a warning above it; our validator turns both into a refusal).
        Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_PIXELS
        try:
            from pillow_heif import register_heif_opener
        except ImportError:  # HEIC is then refused with a clear message (see validation.py)
            pass
        else:
            register_heif_opener()
