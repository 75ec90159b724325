"""Deciding what an uploaded file really is, from its bytes, and making it safe to keep.

Nothing here trusts the client: not the declared content type, not the extension. The kind
comes from the content (magic bytes, then a real parse), and the extension must agree with it.

- Images (JPEG, PNG, WebP, HEIC/HEIF): through the platform's one image pipeline
  (``qnwmh.core.images``): the header is read first and the pixel count checked *before* any
  pixel is decoded (decompression bombs); then the image is decoded, turned upright, scaled
  down to the edge limit and re-encoded from bare pixels, so no metadata at all survives
  (EXIF, GPS, XMP, ICC, comments). The EXIF capture time is read before stripping.
- ``precheck`` does only the cheap part (type, extension, image header and pixel cap), so a
  caller with several files refuses a bad last one before decoding the first.
- Videos (MP4, MOV): the ISO-BMFF box structure must parse from the first byte to the last, the
  first box must be ``ftyp`` with a known video brand, and a ``moov`` box with a movie header
  must be present. Video is not re-encoded (no codec on the server); metadata boxes that carry
  location and device data (``udta``, ``meta`` in the movie and its tracks, and ``udta``,
  ``meta`` and XMP ``uuid`` boxes at the top level) are renamed to ``free`` and their payload
  overwritten with zeros in place: players skip ``free``, every offset stays valid, and no
  coordinate or device byte is kept.
- PDF: ``%PDF-`` header, ``startxref`` and ``%%EOF`` at the end; documents with JavaScript,
  embedded files, launch actions or XFA forms are refused (names are checked after undoing
  ``#xx`` escapes, and inside Flate-compressed streams up to a decompression budget).
  PDFs are always served as downloads, never inline.
"""

from __future__ import annotations

import datetime
import re
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from qnwmh.core import images
from qnwmh.core.errors import DomainError


class Kind:
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"


# Extensions accepted for each detected format.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    **images.IMAGE_EXTENSIONS,
    # MP4 and MOV are the same container; phones name either way, so both agree with either.
    "video": (".mp4", ".m4v", ".mov", ".qt"),
    "pdf": (".pdf",),
}

HEIF_BRANDS = images.HEIF_BRANDS
MOV_BRANDS = {b"qt  "}
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"mp71",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3g2a",
    b"MSNV",
    b"dash",
    b"f4v ",
    b"XAVC",
    b"mmp4",
    b"hvc1",
    b"av01",
}
VIDEO_BRANDS = MP4_BRANDS | MOV_BRANDS
# Container boxes we look into when checking structure and stripping metadata.
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"}
METADATA_BOXES = {b"udta", b"meta"}
# At the top level XMP (with GPS) also travels in ``uuid`` boxes; nothing a player needs does.
TOP_LEVEL_METADATA_BOXES = METADATA_BOXES | {b"uuid"}
BOX_TYPE = re.compile(rb"^[\x20-\x7e\xa9]{4}$")

PDF_FORBIDDEN = (
    b"/JavaScript",
    b"/JS",
    b"/EmbeddedFile",
    b"/EmbeddedFiles",
    b"/Launch",
    b"/XFA",
    b"/RichMedia",
)
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


@dataclass
class Checked:
    """The safe form of an upload: what to store, and what we learned on the way."""

    kind: str
    fmt: str
    content_type: str
    extension: str
    content: bytes | None = None  # re-encoded image bytes; None when the cleaned source is kept
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None
    captured_at: datetime.datetime | None = None


def refuse(message: str) -> DomainError:
    return DomainError(message, code="evidence_refused", field="file")


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce, or None."""
    image = images.sniff_image(head, video_brands=VIDEO_BRANDS)
    if image is not None:
        return image
    if head.startswith(b"%PDF-"):
        return "pdf"
    if len(head) >= 12 and head[4:8] == b"ftyp" and images.ftyp_brands(head) & VIDEO_BRANDS:
        return "video"
    return None


def precheck(stream: IO[bytes], *, name: str) -> str:
    """The cheap checks only: format from the content, extension agreeing with it and, for an
    image, the header parsed and the pixel cap applied without decoding. Returns the format."""
    stream.seek(0)
    head = stream.read(64)
    stream.seek(0)
    fmt = sniff(head)
    if fmt is None:
        raise refuse(
            _("不支持该文件类型。只能上传 JPEG、PNG、WebP、HEIC 图片，MP4、MOV 视频或 PDF 文档。")
        )
    ext = extension_of(name)
    if ext not in EXTENSIONS[fmt]:
        raise refuse(
            _("文件扩展名“%(ext)s”与文件内容（%(fmt)s）不符，请上传原始文件。")
            % {"ext": ext or _("无"), "fmt": fmt.upper()}
        )
    if fmt in images.IMAGE_EXTENSIONS:
        _as_refusal(lambda: images.open_capped(stream, fmt))
    return fmt


def check(stream: IO[bytes], *, name: str, size: int) -> Checked:
    """Decide the kind of ``stream`` (at position 0, ``size`` bytes) and return its safe form,
    or raise ``DomainError`` with a message for the person uploading."""
    fmt = precheck(stream, name=name)
    if fmt == "pdf":
        return _check_pdf(stream, size)
    if fmt == "video":
        return _check_video(stream, size)
    return _check_image(stream, fmt)


def _as_refusal(step: Any) -> Any:
    """Run an image pipeline step; its refusals become evidence refusals (same message)."""
    try:
        return step()
    except DomainError as exc:
        raise refuse(str(exc.message)) from None


# Images -------------------------------------------------------------------------------------


def _check_image(stream: IO[bytes], fmt: str) -> Checked:
    image = _as_refusal(lambda: images.open_capped(stream, fmt))
    clean = _as_refusal(lambda: images.reencode(image))
    return Checked(
        kind=Kind.IMAGE,
        fmt=clean.fmt,
        content_type=clean.content_type,
        extension=clean.extension,
        content=clean.content,
        thumbnail=clean.thumbnail,
        width=clean.width,
        height=clean.height,
        captured_at=clean.captured_at,
    )


# Video --------------------------------------------------------------------------------------


def _read_boxes(stream: IO[bytes], start: int, end: int) -> list[tuple[bytes, int, int, int]]:
    """(type, box start, payload start, box end) for each box in [start, end); raises
    ValueError unless the boxes tile the range exactly."""
    boxes = []
    pos = start
    while pos < end:
        if end - pos < 8:
            raise ValueError("trailing bytes")
        stream.seek(pos)
        header = stream.read(8)
        size = int.from_bytes(header[:4], "big")
        kind = header[4:8]
        if not BOX_TYPE.match(kind):
            raise ValueError("bad box type")
        payload = pos + 8
        if size == 1:
            large = stream.read(8)
            if len(large) < 8:
                raise ValueError("short largesize")
            size = int.from_bytes(large, "big")
            payload = pos + 16
        elif size == 0:
            size = end - pos  # "to the end": allowed only for the last box
        if size < payload - pos or pos + size > end:
            raise ValueError("box overruns")
        boxes.append((kind, pos, payload, pos + size))
        pos += size
        if len(boxes) > 100_000:
            raise ValueError("too many boxes")
    return boxes


def _check_video(stream: IO[bytes], size: int) -> Checked:
    try:
        top = _read_boxes(stream, 0, size)
        if not top or top[0][0] != b"ftyp":
            raise ValueError("no ftyp first")
        stream.seek(0)
        major = stream.read(12)[8:12]
        moov = [b for b in top if b[0] == b"moov"]
        if len(moov) != 1 or not any(b[0] == b"mdat" for b in top):
            raise ValueError("no moov or mdat")
        children = _read_boxes(stream, moov[0][2], moov[0][3])
        if not any(b[0] == b"mvhd" for b in children):
            raise ValueError("no mvhd")
        strip = [b for b in top if b[0] in TOP_LEVEL_METADATA_BOXES]
        strip += _metadata_boxes(stream, children, depth=0)
    except ValueError as exc:
        raise refuse(_("视频文件结构不完整或已损坏，无法识别为 MP4/MOV 视频。")) from exc
    # Rename metadata boxes to "free" and zero what they held, in place: same size, so no
    # offset changes, and the bytes (coordinates, device names) are gone, not just hidden.
    for _kind, box_start, payload, box_end in strip:
        stream.seek(box_start + 4)
        stream.write(b"free")
        _zero(stream, payload, box_end)
    stream.seek(0)
    is_mov = major in MOV_BRANDS  # the major brand names the container's dialect
    return Checked(
        kind=Kind.VIDEO,
        fmt="mov" if is_mov else "mp4",
        content_type="video/quicktime" if is_mov else "video/mp4",
        extension=".mov" if is_mov else ".mp4",
    )


def _zero(stream: IO[bytes], start: int, end: int) -> None:
    stream.seek(start)
    block = bytes(64 * 1024)
    remaining = end - start
    while remaining > 0:
        step = min(remaining, len(block))
        stream.write(block[:step])
        remaining -= step


def _metadata_boxes(
    stream: IO[bytes], boxes: list[tuple[bytes, int, int, int]], depth: int
) -> list[tuple[bytes, int, int, int]]:
    found = []
    for box in boxes:
        kind, _start, payload, end = box
        if kind in METADATA_BOXES:
            found.append(box)
        elif kind in CONTAINERS and depth < 6:
            found += _metadata_boxes(stream, _read_boxes(stream, payload, end), depth + 1)
    return found


# PDF ----------------------------------------------------------------------------------------


def _check_pdf(stream: IO[bytes], size: int) -> Checked:
    stream.seek(0)
    data = stream.read()
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        raise refuse(_("PDF 文件头无效。"))
    tail = data[-1024:]
    if b"%%EOF" not in tail or b"startxref" not in data[-4096:]:
        raise refuse(_("PDF 文件不完整（缺少文件尾），请重新导出后上传。"))
    if _pdf_has_active_content(data):
        raise refuse(
            _("PDF 含有脚本、附件或自动执行动作，出于安全考虑不予接收。请另存为普通 PDF 后上传。")
        )
    stream.seek(0)
    return Checked(kind=Kind.DOCUMENT, fmt="pdf", content_type="application/pdf", extension=".pdf")


def _unescape_names(data: bytes) -> bytes:
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _has_forbidden(data: bytes) -> bool:
    plain = _unescape_names(data)
    return any(re.search(re.escape(word) + rb"(?![A-Za-z0-9])", plain) for word in PDF_FORBIDDEN)


def _pdf_has_active_content(data: bytes) -> bool:
    if _has_forbidden(data):
        return True
    # Object streams hide dictionaries inside Flate data: look there too, within a budget so a
    # zip bomb cannot exhaust memory (an oversized stream is simply not inspected further).
    budget = settings.EVIDENCE_PDF_INFLATE_BUDGET
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            break
        try:
            inflater = zlib.decompressobj()
            chunk = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        if _has_forbidden(chunk):
            return True
    return False
