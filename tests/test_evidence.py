"""Evidence uploads: a hostile corpus (each refused or sanitised, nothing stored raw), the
metadata stripping, limits from the rules, duplicates, scope and the serving headers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image

from qnwmh.audit.models import AuditEntry
from qnwmh.core.errors import DomainError
from qnwmh.evidence.models import EvidenceFile
from qnwmh.evidence.services import sanitise_name, store_upload
from tests import evidence_files as ef

MB = 1024 * 1024

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
GIF_JS = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=alert(document.domain);//" + b"\x00" * 20 + b";"


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    # Messages are asserted in Chinese; another module may leave English active.
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _store(world: Any, name: str, data: bytes, role: str = "manager", **kw: Any) -> EvidenceFile:
    # Files are written when the transaction commits: run those writes here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return store_upload(
            world.actor(role),
            uploaded_file=ef.upload(name, data),
            collective=kw.pop("collective", world.collective),
            purpose="creation.log",
            **kw,
        )


REFUSED = [
    ("html-as-jpg", "photo.jpg", HTML),
    ("html-as-html", "page.html", HTML),
    ("svg-with-script", "logo.svg", SVG),
    ("svg-as-png", "logo.png", SVG),
    ("gif-js-polyglot", "anim.gif", GIF_JS),
    ("gif-js-polyglot-as-jpg", "anim.jpg", GIF_JS),
    ("php-as-jpg", "shell.jpg", b"<?php system($_GET['c']); ?>"),
    ("pdf-renamed-png", "scan.png", ef.pdf()),
    ("jpeg-renamed-pdf", "report.pdf", ef.jpeg()),
    ("webp-renamed-jpg", "photo.jpg", ef.webp()),
    ("heic-renamed-jpg", "IMG_0001.jpg", ef.heic()),
    ("png-bomb-20000", "huge.png", ef.png_bomb()),
    ("jpeg-claims-60000", "huge.jpg", ef.jpeg_with_dimensions(60000, 60000)),
    ("truncated-jpeg", "cut.jpg", ef.jpeg((400, 300))[:600]),
    (
        "video-header-on-garbage",
        "clip.mp4",
        ef.box(b"ftyp", b"isom\x00\x00\x02\x00isom") + b"\x13\x37" * 500,
    ),
    ("mp4-box-overrun", "clip.mp4", ef.mp4()[:-40]),
    (
        "mp4-without-moov",
        "clip.mp4",
        ef.box(b"ftyp", b"isom\x00\x00\x02\x00isom") + ef.box(b"mdat", b"x" * 64),
    ),
    ("exe-as-mp4", "clip.mp4", b"MZ\x90\x00" + b"\x00" * 200),
    ("zip-as-pdf", "doc.pdf", b"PK\x03\x04" + b"\x00" * 200),
    ("pdf-javascript", "form.pdf", ef.pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")),
    (
        "pdf-escaped-javascript",
        "form.pdf",
        ef.pdf(b"/OpenAction << /S /J#61vaScript /J#53 (x) >> "),
    ),
    (
        "pdf-embedded-file-in-objstm",
        "att.pdf",
        ef.pdf_with_stream(b"<< /EmbeddedFiles << /Names [] >> >>"),
    ),
    ("pdf-launch", "run.pdf", ef.pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >> ")),
    ("pdf-without-eof", "cut.pdf", ef.pdf()[:-30]),
    ("empty", "empty.jpg", b""),
    ("no-extension", "photo", ef.jpeg()),
]


@pytest.mark.parametrize(
    ("name", "data"), [(n, d) for _, n, d in REFUSED], ids=[i for i, _, _ in REFUSED]
)
def test_hostile_file_is_refused_and_nothing_is_stored(
    world: Any, settings: Any, name: str, data: bytes
):
    with translation.override("zh-hans"), pytest.raises(DomainError) as err:
        _store(world, name, data)
    assert err.value.code == "evidence_refused"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))  # a Chinese message
    assert EvidenceFile.objects.count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == []


def test_one_byte_over_the_file_limit_is_refused_and_at_the_limit_accepted(
    world: Any, rules: Any, settings: Any
):
    rules.evidence_max_file_mb = 1
    rules.save()
    at_limit = ef.pdf()
    padding = MB - len(at_limit)
    at_limit = at_limit.replace(b"%PDF-1.7\n", b"%PDF-1.7\n%" + b"x" * (padding - 2) + b"\n", 1)
    assert len(at_limit) == MB
    over = at_limit.replace(b"%PDF-1.7\n%", b"%PDF-1.7\n%x", 1)
    assert len(over) == MB + 1
    with pytest.raises(DomainError, match="1 MB"):
        _store(world, "big.pdf", over)
    assert stored_files(Path(settings.MEDIA_ROOT)) == []
    assert _store(world, "big.pdf", at_limit).size == MB


def test_the_declared_size_is_not_trusted(world: Any, rules: Any):
    rules.evidence_max_file_mb = 1
    rules.save()
    upload = ef.upload("big.pdf", ef.pdf() + b"%" + b"x" * MB)
    upload.size = 10  # a lying client
    with pytest.raises(DomainError):
        store_upload(
            world.actor("manager"),
            uploaded_file=upload,
            collective=world.collective,
            purpose="creation.log",
        )
    assert EvidenceFile.objects.count() == 0


def test_collective_total_limit_counts_what_is_kept(world: Any, rules: Any):
    rules.evidence_max_collective_mb = 1
    rules.save()
    big = ef.pdf().replace(b"%PDF-1.7\n", b"%PDF-1.7\n%" + b"y" * 700_000 + b"\n", 1)
    _store(world, "a.pdf", big)
    with pytest.raises(DomainError, match="总量已达上限"):
        _store(world, "b.pdf", big.replace(b"yyy", b"zzz", 1))
    # Another collective has its own allowance.
    other = store_upload(
        world.actor("outsider"),
        uploaded_file=ef.upload("c.pdf", big),
        collective=world.other_collective,
        purpose="creation.log",
    )
    assert other.pk


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_upload_leaves_no_file(world: Any, settings: Any):
    """Files are written only when the transaction commits: an upload whose transaction rolls
    back (here a later step of the same service fails) leaves neither a row nor a blob."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        store_upload(
            world.actor("manager"),
            uploaded_file=ef.upload("a.jpg", ef.jpeg()),
            collective=world.collective,
            purpose="creation.log",
        )
        raise RuntimeError("a later step fails")
    assert EvidenceFile.objects.count() == 0
    assert stored_files(Path(settings.MEDIA_ROOT)) == []
    kept = store_upload(
        world.actor("manager"),
        uploaded_file=ef.upload("b.mp4", ef.mp4()),
        collective=world.collective,
        purpose="creation.log",
    )
    assert default_storage.exists(kept.storage_name)  # committed: written
    assert len(stored_files(Path(settings.MEDIA_ROOT))) == 1


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.jpg",
        "..\\..\\windows\\win.ini.jpg",
        "evil\x00name\r\n.jpg",
        "/abs/path/<script>.jpg",
    ],
)
def test_path_traversal_and_control_names_are_sanitised(world: Any, settings: Any, name: str):
    evidence = _store(world, name, ef.jpeg())
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    assert "\x00" not in evidence.original_name and "<" not in evidence.original_name
    assert not evidence.original_name.startswith(".")
    # Stored under our random name inside the media root, never under the given one.
    assert evidence.storage_name.startswith("evidence/")
    path = Path(default_storage.path(evidence.storage_name)).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() in path.parents
    assert Path(evidence.original_name).stem not in path.name


def test_sanitise_name_keeps_chinese_and_extension():
    assert sanitise_name("C:\\照片\\开放周 活动.JPG") == "开放周 活动.JPG"
    assert sanitise_name("...") == "file"
    long = sanitise_name("长" * 300 + ".jpeg")
    assert len(long) == 100 and long.endswith(".jpeg")


def test_jpeg_with_gps_comes_out_without_any_exif(world: Any):
    data = ef.jpeg((80, 40), gps=True, orientation=6, taken="2026:05:03 10:11:12")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input really has GPS
    evidence = _store(world, "IMG_2026.jpg", data)
    with default_storage.open(evidence.storage_name) as fh:
        kept = fh.read()
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert b"Exif" not in kept and b"SpyCam" not in kept and b"GPS" not in kept
    assert "exif" not in image.info and "icc_profile" not in image.info
    # Orientation 6 was applied: the 80×40 landscape is now 40×80, red corner top-right.
    assert image.size == (40, 80) == (evidence.width, evidence.height)
    assert image.getpixel((38, 2))[0] > 200 and image.getpixel((2, 2))[0] < 100
    # The capture time was read before stripping.
    assert evidence.captured_at is not None
    assert evidence.captured_at.strftime("%Y-%m-%d %H:%M") == "2026-05-03 10:11"
    assert evidence.content_type == "image/jpeg" and evidence.kind == "image"
    with default_storage.open(evidence.thumbnail_name) as fh:
        thumb = Image.open(io.BytesIO(fh.read()))
    assert thumb.format == "JPEG" and len(thumb.getexif()) == 0


def test_script_hidden_in_a_jpeg_comment_or_after_a_png_is_gone(world: Any):
    marker = b"<script>alert(1)</script>"
    a = _store(world, "a.jpg", ef.jpeg(comment=marker))
    b = _store(world, "b.png", ef.png() + HTML)
    for evidence in (a, b):
        with default_storage.open(evidence.storage_name) as fh:
            kept = fh.read()
        assert b"<script>" not in kept
        assert evidence.sha256 != evidence.stored_sha256


def test_large_photo_is_capped_to_the_edge_limit(world: Any, settings: Any):
    settings.EVIDENCE_MAX_EDGE = 1000
    evidence = _store(world, "wide.jpg", ef.jpeg((3000, 1500)))
    assert (evidence.width, evidence.height) == (1000, 500)


@pytest.mark.parametrize(
    ("name", "builder", "content_type"),
    [
        ("a.png", ef.png, "image/png"),  # alpha kept, so PNG
        ("b.webp", ef.webp, "image/jpeg"),
        ("IMG_0001.HEIC", ef.heic, "image/jpeg"),
        ("c.jpeg", ef.jpeg, "image/jpeg"),
    ],
)
def test_accepted_images_are_reencoded(world: Any, name: str, builder: Any, content_type: str):
    evidence = _store(world, name, builder())
    assert evidence.content_type == content_type
    assert evidence.thumbnail_name
    with default_storage.open(evidence.storage_name) as fh:
        assert Image.open(fh).format in ("PNG", "JPEG")


def test_video_is_checked_and_its_location_box_neutralised(world: Any):
    data = ef.mp4()
    evidence = _store(world, "clip.MOV", data)
    assert evidence.kind == "video" and evidence.content_type == "video/mp4"
    with default_storage.open(evidence.storage_name) as fh:
        kept = fh.read()
    assert len(kept) == len(data) and b"udta" not in kept and b"free" in kept
    assert ef.LOCATION not in kept and b"\xa9xyz" not in kept
    qt = _store(world, "clip.mov", ef.mp4(b"qt  ", location=False))
    assert qt.content_type == "video/quicktime" and qt.storage_name.endswith(".mov")


def test_video_location_bytes_are_zeroed_everywhere(world: Any):
    """Renaming a box to ``free`` is not enough: its bytes (the coordinates) must go too, in
    the movie, in its top-level ``meta`` and in an XMP ``uuid`` box."""
    data = ef.mp4(top_level=True)
    assert data.count(ef.LOCATION) == 3
    evidence = _store(world, "clip.mp4", data)
    with default_storage.open(evidence.storage_name) as fh:
        kept = fh.read()
    assert len(kept) == len(data)
    assert ef.LOCATION not in kept and b"22.52" not in kept and b"loci" not in kept
    assert b"GPSLatitude" not in kept
    assert kept.endswith(b"\x00\x01\x02\x03" * 64)  # the media data is untouched


def test_plain_pdf_is_accepted(world: Any):
    evidence = _store(world, "总结.pdf", ef.pdf())
    assert evidence.kind == "document" and evidence.content_type == "application/pdf"


def test_identical_upload_is_flagged_as_duplicate(world: Any):
    data = ef.jpeg(gps=True)
    first = _store(world, "a.jpg", data)
    second = _store(world, "b.jpg", data, role="body_admin")
    third = _store(world, "c.jpg", ef.jpeg(color=(1, 2, 3)))
    assert first.duplicate_of is None and third.duplicate_of is None
    assert second.duplicate_of == first and second.is_duplicate
    entry = AuditEntry.objects.filter(code="evidence.file.stored").order_by("-id")[1]
    assert entry.data["duplicate_of"] == first.code


def test_outsider_and_reviewer_cannot_upload_to_another_bodys_collective(world: Any):
    for role in ("outsider", "reviewer", "anonymous"):
        with pytest.raises(PermissionDenied):
            _store(world, "a.jpg", ef.jpeg(), role=role)
    assert EvidenceFile.objects.count() == 0


def test_public_purpose_hook_lets_anyone_upload(world: Any):
    from qnwmh.evidence import rules

    rules.PUBLIC_UPLOAD_PURPOSES.add("test.public")
    try:
        evidence = store_upload(
            world.actor("anonymous"),
            uploaded_file=ef.upload("p.jpg", ef.jpeg()),
            collective=world.collective,
            purpose="test.public",
        )
    finally:
        rules.PUBLIC_UPLOAD_PURPOSES.discard("test.public")
    assert evidence.uploaded_by is None


def test_audit_entry_written_once(world: Any):
    evidence = _store(world, "a.jpg", ef.jpeg())
    entries = AuditEntry.objects.filter(code="evidence.file.stored")
    assert entries.count() == 1 and entries.get().object_id == str(evidence.pk)


# Serving ------------------------------------------------------------------------------------


def test_file_is_served_with_safe_headers(world: Any):
    photo = _store(world, "开放周.jpg", ef.jpeg())
    response = world.client("manager").get(reverse("evidence:file", args=[photo.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "JPEG"


def test_pdf_is_always_a_download(world: Any):
    doc = _store(world, "a.pdf", ef.pdf())
    response = world.client("body_admin").get(reverse("evidence:file", args=[doc.code]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_another_bodys_file_answers_404(world: Any):
    photo = _store(world, "a.jpg", ef.jpeg())
    for role, status in [
        ("outsider", 404),
        ("reviewer", 404),
        ("city_admin", 200),
        ("body_admin", 200),
    ]:
        for name in ("evidence:file", "evidence:thumb"):
            assert world.client(role).get(reverse(name, args=[photo.code])).status_code == status, (
                role,
                name,
            )
    assert (
        world.client("anonymous").get(reverse("evidence:file", args=[photo.code])).status_code
        == 302
    )


def test_manager_hidden_purpose_hook(world: Any):
    from qnwmh.evidence import selectors

    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = store_upload(
            world.actor("body_admin"),
            uploaded_file=ef.upload("a.jpg", ef.jpeg()),
            collective=world.collective,
            purpose="test.secret",
        )
    selectors.MANAGER_HIDDEN_PURPOSES.add("test.secret")
    try:
        url = reverse("evidence:file", args=[photo.code])
        assert world.client("manager").get(url).status_code == 404
        assert world.client("body_admin").get(url).status_code == 200
    finally:
        selectors.MANAGER_HIDDEN_PURPOSES.discard("test.secret")
