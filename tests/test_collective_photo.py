"""A collective's photo goes through the platform's one image pipeline: content sniffing, the
pixel cap, re-encoding (no EXIF, no GPS) and an opaque generated name, both through the
service and through the edit page, and what the public page serves is the clean copy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image

from qnwmh.collectives import services
from qnwmh.collectives.models import Collective
from qnwmh.core.errors import DomainError
from tests import evidence_files as ef


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    with translation.override("zh-hans"):
        yield


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def set_photo(world: Any, name: str, data: bytes, role: str = "manager") -> Collective:
    with TestCase.captureOnCommitCallbacks(execute=True):  # files are written on commit
        return services.collective_update(
            world.actor(role), collective=world.collective, values={"photo": ef.upload(name, data)}
        )


def test_gps_exif_is_stripped_and_the_name_is_opaque(world: Any):
    data = ef.jpeg((120, 80), gps=True, taken="2026:05:03 10:11:12")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input has GPS
    c = set_photo(world, "张三家门口_GPS.jpg", data)
    assert c.photo.name.startswith("collectives/") and c.photo.name.endswith(".jpg")
    assert "张三" not in c.photo.name and "GPS" not in c.photo.name
    assert len(Path(c.photo.name).stem) >= 32  # random, not derived from the upload
    with default_storage.open(c.photo.name) as fh:
        kept = fh.read()
    image = Image.open(io.BytesIO(kept))
    assert len(image.getexif()) == 0 and b"Exif" not in kept and b"SpyCam" not in kept

    # What the public page serves is that clean copy.
    response = Client().get(reverse("public:photo", kwargs={"code": c.code}))
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == kept and b"Exif" not in served


def test_over_cap_image_is_refused_in_chinese_and_nothing_is_stored(world: Any):
    before = Collective.objects.get(pk=world.collective.pk).photo.name
    with pytest.raises(DomainError) as refused:
        set_photo(world, "big.jpg", ef.jpeg_with_dimensions(9000, 9000))  # 81 MP
    assert "像素" in str(refused.value) and refused.value.field == "photo"
    assert Collective.objects.get(pk=world.collective.pk).photo.name == before
    assert media_files() == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("page.jpg", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("clip.mp4", ef.mp4()),
        ("photo.png", ef.jpeg()),  # extension does not match the content
    ],
)
def test_non_photos_are_refused(world: Any, name: str, data: bytes):
    with pytest.raises(DomainError) as refused:
        set_photo(world, name, data)
    assert refused.value.field == "photo"
    assert media_files() == []


def test_edit_page_cleans_the_photo(world: Any):
    client = world.client("manager")
    url = reverse("collectives:edit", args=[world.collective.code])
    form = client.get(url).context["form"]
    data = {
        k: v for k, v in form.initial.items() if k in form.fields and v is not None and k != "photo"
    }
    data["photo"] = ef.upload("IMG_0001.JPG", ef.jpeg((64, 48), gps=True), "image/jpeg")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    c = Collective.objects.get(pk=world.collective.pk)
    assert "IMG_0001" not in c.photo.name
    with default_storage.open(c.photo.name) as fh:
        assert b"Exif" not in fh.read()

    big = {**data, "photo": ef.upload("big.jpg", ef.jpeg_with_dimensions(9000, 9000))}
    response = client.post(url, big)
    assert response.status_code == 200
    assert "像素" in response.content.decode()


def test_create_with_a_photo_is_cleaned(world: Any):
    values = {
        "name": "新集体",
        "work_unit": "中山市某单位",
        "body": world.body,
        "town": world.collective.town,
        "ownership": world.collective.ownership,
        "photo": ef.upload("me.png", ef.png()),
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        c = services.collective_create(world.actor("body_admin"), values=values)
    assert c.photo.name.startswith("collectives/") and "me" not in Path(c.photo.name).stem
    with default_storage.open(c.photo.name) as fh:
        assert Image.open(fh).format == "PNG"  # alpha kept, so PNG


def test_photos_stored_before_the_pipeline_are_recleaned(world: Any):
    """A photo stored byte for byte (with GPS, under the uploader's name) is re-encoded by
    the maintenance command; one that is not a photo at all is cleared."""
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from qnwmh.audit.models import AuditEntry

    world.collective.photo.save("张三_GPS.jpg", ContentFile(ef.jpeg(gps=True)))
    world.other_collective.photo.save("x.jpg", ContentFile(b"<script>alert(1)</script>"))
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("reclean_collective_photos", stdout=out)
    assert "1 cleaned, 1 cleared" in out.getvalue()
    c = Collective.objects.get(pk=world.collective.pk)
    assert "张三" not in c.photo.name
    with default_storage.open(c.photo.name) as fh:
        assert b"Exif" not in fh.read()
    assert Collective.objects.get(pk=world.other_collective.pk).photo.name == ""
    assert AuditEntry.objects.filter(code="collectives.collective.photo_recleaned").count() == 2
