"""Photo checks for public uploads until the shared evidence checks are merged: only JPEG and
PNG, recognised by content (not by name or declared type), size-capped, and re-encoded by
Pillow so nothing but pixels is kept (metadata such as GPS position is dropped)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from qnwmh.core.errors import DomainError

FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    content_type: str
    size: int


def clean_photo(upload: object, *, max_mb: int) -> CleanPhoto:
    size = getattr(upload, "size", 0) or 0
    if size > max_mb * 1024 * 1024:
        raise DomainError(_("照片不能超过 %(mb)s MB。") % {"mb": max_mb}, field="photos")
    try:
        upload.seek(0)  # type: ignore[attr-defined]
        with Image.open(upload) as probe:  # type: ignore[arg-type]
            fmt = probe.format or ""
            if fmt not in FORMATS:
                raise DomainError(_("只接受 JPEG 或 PNG 格式的照片。"), field="photos")
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(_("照片尺寸过大。"), field="photos")
            probe.verify()
        upload.seek(0)  # type: ignore[attr-defined]
        with Image.open(upload) as img:  # type: ignore[arg-type]
            img.load()
            out = io.BytesIO()
            if fmt == "JPEG":
                img.convert("RGB").save(out, "JPEG", quality=85)
            else:
                img.save(out, "PNG")
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(
            _("无法识别的图片文件，请上传 JPEG 或 PNG 照片。"), field="photos"
        ) from None
    content_type, ext = FORMATS[fmt]
    data = out.getvalue()
    return CleanPhoto(ContentFile(data, name=f"photo{ext}"), content_type, len(data))
