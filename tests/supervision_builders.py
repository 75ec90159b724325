"""Builders for supervision tests."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from qnwmh.collectives.models import Collective
from qnwmh.supervision.models import Complaint, ComplaintPhoto, Holiday, Rating

PLANTED_NAME = "欧阳秘密"
PLANTED_PHONE = "13900001111"


def complaint(collective: Collective, *, days_ago: int = 0, **kwargs: Any) -> Complaint:
    received = timezone.now() - datetime.timedelta(days=days_ago)
    day = timezone.localdate(received)
    defaults: dict[str, Any] = {
        "category": "attitude",
        "text": "窗口人员态度不好。",
        "filer_name": PLANTED_NAME,
        "filer_phone": PLANTED_PHONE,
        "received_at": received,
        "ack_due": day + datetime.timedelta(days=3),
        "finish_due": day + datetime.timedelta(days=21),
    }
    defaults.update(kwargs)
    return Complaint.objects.create(collective=collective, body_id=collective.body_id, **defaults)


def with_secret(c: Complaint, secret: str = "FILERSECRET2") -> str:
    """Give a built complaint a filer secret (as public intake does); returns it in clear."""
    from qnwmh.supervision.models import hash_filer_secret

    Complaint.objects.filter(pk=c.pk).update(filer_secret_hash=hash_filer_secret(c.code, secret))
    c.refresh_from_db()
    return secret


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def upload(name: str = "p.png", data: bytes | None = None, content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(
        name, data if data is not None else png_bytes(), content_type=content_type
    )


def photo(c: Complaint) -> ComplaintPhoto:
    from django.test import TestCase

    from qnwmh.core.actor import system_actor
    from qnwmh.supervision.services import _attach_photo

    with TestCase.captureOnCommitCallbacks(execute=True):  # files are written on commit
        return _attach_photo(system_actor(), c, upload())


def holiday(day: datetime.date | None = None) -> Holiday:
    return Holiday.objects.create(date=day or datetime.date(2030, 10, 1), name="国庆节")


def rating(collective: Collective, day: datetime.date, stars: int = 4, comment: str = "") -> Rating:
    """A visitor's rating on ``day`` (a device of its own, as the once-a-day bound wants)."""
    n = Rating.objects.count()
    return Rating.objects.create(
        collective=collective, stars=stars, comment=comment, day=day, device=f"device-{n}"
    )
