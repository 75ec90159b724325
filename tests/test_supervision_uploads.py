"""Public complaint photos cannot be used to exhaust the server: every attempt is counted
before any work (a failing request still uses its quota), every file is checked before any
is stored, a refused request leaves no file and no row, and an oversized body is refused
from its Content-Length before it is read."""

from __future__ import annotations

import io
import unittest.mock
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qnwmh.core import images
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.evidence import validation
from qnwmh.evidence.models import EvidenceFile
from qnwmh.supervision import services
from qnwmh.supervision.models import Complaint, ComplaintPhoto, RateCounter
from tests import evidence_files as ef
from tests import supervision_builders as sb

FORM = {"kind": "complaint", "category": "attitude", "text": "窗口人员玩手机。"}
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def feedback_url(world: Any) -> str:
    return reverse("supervision_public:feedback", args=[world.collective.code])


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def ip_count() -> int:
    return sum(RateCounter.objects.filter(key__startswith="c:ip:").values_list("count", flat=True))


@pytest.mark.django_db(transaction=True)
def test_valid_then_invalid_photo_leaves_nothing_and_uses_one_unit_of_quota(world: Any):
    client = Client()
    good = {**FORM, "photos": [sb.upload("ok.jpg", ef.jpeg((64, 48)))]}
    assert client.post(feedback_url(world), good).status_code == 302  # files really are written
    written = media_files()
    assert len(written) == 2  # the photo and its thumbnail
    complaints, evidence, photos = (
        Complaint.objects.count(),
        EvidenceFile.objects.count(),
        ComplaintPhoto.objects.count(),
    )
    assert ip_count() == 1

    bad = {**FORM, "photos": [sb.upload("ok.jpg", ef.jpeg((64, 48))), sb.upload("x.jpg", HTML)]}
    response = client.post(feedback_url(world), bad)
    assert response.status_code == 400
    assert "不支持该文件类型" in response.content.decode()
    assert media_files() == written
    assert Complaint.objects.count() == complaints
    assert EvidenceFile.objects.count() == evidence
    assert ComplaintPhoto.objects.count() == photos
    assert ip_count() == 2  # the failed attempt was counted


@pytest.mark.django_db(transaction=True)
def test_failed_attempts_exhaust_the_quota(world: Any):
    limit = services.LIMITS["complaints_per_ip"][0]
    client = Client()
    bad = {**FORM, "photos": [sb.upload("x.jpg", HTML)]}
    codes = [client.post(feedback_url(world), bad).status_code for _ in range(limit)]
    assert codes == [400] * limit
    response = client.post(feedback_url(world), FORM)  # a good request now finds the quota used
    assert response.status_code == 429
    assert Complaint.objects.count() == 0 and media_files() == []


def test_every_photo_is_checked_before_any_is_decoded_or_stored(world: Any, monkeypatch: Any):
    """An invalid last file refuses the request before the valid first one is re-encoded."""
    checked: list[str] = []
    real = validation._check_image

    def spy(stream: Any, fmt: str, **kw: Any) -> Any:
        checked.append(fmt)
        return real(stream, fmt, **kw)

    monkeypatch.setattr(validation, "_check_image", spy)
    over_cap = ef.jpeg_with_dimensions(9000, 6000)  # 54 MP: refused from its header
    with pytest.raises(DomainError) as refused:
        services.complaint_file(
            Actor(user=None, ip="203.0.113.9"),
            collective=world.collective,
            kind="complaint",
            category="attitude",
            text="照片测试。",
            photos=[sb.upload("a.jpg", ef.jpeg((64, 48))), sb.upload("b.jpg", over_cap)],
        )
    assert "像素" in str(refused.value)
    assert checked == []  # the valid first photo was never decoded
    assert EvidenceFile.objects.count() == 0 and media_files() == []


def test_large_jpeg_is_decoded_at_a_reduced_scale(world: Any, settings: Any):
    """A photo far above the kept edge is decoded by the JPEG decoder at 1/2, 1/4 or 1/8
    scale (Image.draft), not at full size and then shrunk."""
    settings.EVIDENCE_MAX_EDGE = 1000
    data = ef.jpeg((4000, 3000))
    seen: list[tuple[int, int]] = []
    real = images.bare_pixels

    def spy(image: Any) -> Any:
        seen.append(image.size)
        return real(image)

    with unittest.mock.patch.object(images, "bare_pixels", spy):
        checked = validation.check(io.BytesIO(data), name="big.jpg", size=len(data))
    assert (checked.width, checked.height) == (1000, 750)
    assert seen and max(seen[0]) <= 2000  # never held at 4000×3000 while re-encoding


def test_body_over_the_configured_limit_is_refused_before_it_is_read(world: Any, settings: Any):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client = Client()
    response = client.post(
        feedback_url(world), FORM, CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1)
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
    assert Complaint.objects.count() == 0 and ip_count() == 0


def test_intake_refuses_a_body_over_its_own_limit_with_the_form(world: Any):
    limit_mb = services.LIMITS["max_body_mb"]
    client = Client()
    response = client.post(
        feedback_url(world), FORM, CONTENT_LENGTH=str(limit_mb * 1024 * 1024 + 1)
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert f"{limit_mb} MB" in page and "照片" in page
    assert 'name="text"' in page  # the form is shown again to try with smaller photos
    assert Complaint.objects.count() == 0


def test_body_within_the_limit_is_served(world: Any, settings: Any):
    settings.MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024
    assert Client().post(feedback_url(world), FORM).status_code == 302
