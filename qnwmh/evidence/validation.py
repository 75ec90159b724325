"""Deciding what an uploaded file really is, from its bytes, and making it safe to keep.

Nothing here trusts the client: not the declared content type, not the extension. The kind
comes from the content (magic bytes, then a real parse), and the extension must agree with it.

- Images (JPEG, PNG, WebP, HEIC/HEIF): the header is read first and the pixel count checked
  *before* any pixel is decoded (decompression bombs); then the image is fully decoded (a
  truncated or corrupt file fails here), turned upright (EXIF orientation), scaled down to the
  edge limit, and re-encoded from bare pixels, so no metadata at all survives (EXIF, GPS, XMP,
  ICC, comments). The EXIF capture time is read before stripping. A thumbnail is made.
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
import io
import re
import warnings
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from qnwmh.core.errors import DomainError


class Kind:
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"


# Extensions accepted for each detected format.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "png": (".png",),
    "webp": (".webp",),
    "heic": (".heic", ".heif", ".hif"),
    # MP4 and MOV are the same container; phones name either way, so both agree with either.
    "video": (".mp4", ".m4v", ".mov", ".qt"),
    "pdf": (".pdf",),
}

HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
    b"mif2",
}
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
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brands = _ftyp_brands(head)
        if brands & HEIF_BRANDS and not brands & (MP4_BRANDS | MOV_BRANDS):
            return "heic"
        if brands & (MP4_BRANDS | MOV_BRANDS):
            return "video"
    return None


def _ftyp_brands(head: bytes) -> set[bytes]:
    size = int.from_bytes(head[0:4], "big")
    end = min(size, len(head)) if size >= 16 else 12
    brands = {head[8:12]}
    for offset in range(16, end - 3, 4):
        brands.add(head[offset : offset + 4])
    return brands


def check(stream: IO[bytes], *, name: str, size: int) -> Checked:
    """Decide the kind of ``stream`` (at position 0, ``size`` bytes) and return its safe form,
    or raise ``DomainError`` with a message for the person uploading."""
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
    if fmt == "pdf":
        return _check_pdf(stream, size)
    if fmt == "video":
        return _check_video(stream, size)
    return _check_image(stream, fmt)


# Images -------------------------------------------------------------------------------------

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME_DIGITIZED = 0x9004
DATETIME = 0x0132


def _captured_at(image: Image.Image) -> datetime.datetime | None:
    try:
        exif = image.getexif()
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:  # broken EXIF must not stop a photo; the time is then unknown
        return None
    for raw in (sub.get(DATETIME_ORIGINAL), sub.get(DATETIME_DIGITIZED), exif.get(DATETIME)):
        if not raw:
            continue
        try:
            naive = datetime.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        if 1990 <= naive.year <= 2100:
            # EXIF has no zone; phones record local time, which here is the platform's zone.
            from django.utils import timezone

            return timezone.make_aware(naive)
    return None


def _check_image(stream: IO[bytes], fmt: str) -> Checked:
    if fmt == "heic" and "HEIF" not in Image.registered_extensions().values():
        raise refuse(
            _("服务器暂不支持 HEIC 图片，请在手机上选择“兼容性最佳”格式或转换为 JPEG 后上传。")
        )
    max_pixels = settings.EVIDENCE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            expected = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}[fmt]
            if image.format != expected:
                raise refuse(_("图片内容与其格式不符。"))
            width, height = image.size
            # Checked on the header alone, before decoding a single pixel.
            if width * height > max_pixels or width <= 0 or height <= 0:
                raise refuse(
                    _("图片尺寸过大（%(w)s×%(h)s），像素总数不能超过 %(max)s 万。")
                    % {"w": width, "h": height, "max": max_pixels // 10000}
                )
            captured = _captured_at(image)
            image.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(_("图片像素数超过上限，疑似恶意文件，已拒收。")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise refuse(_("图片文件已损坏或不完整，无法读取。")) from exc
    except Exception as exc:  # any other parser failure on hostile input is a refusal, not a 500
        raise refuse(_("图片文件已损坏或不完整，无法读取。")) from exc
    try:
        upright = ImageOps.exif_transpose(image)
        clean = _bare_pixels(upright)
        limit = settings.EVIDENCE_MAX_EDGE
        if max(clean.size) > limit:
            clean.thumbnail((limit, limit), Image.Resampling.LANCZOS)
        has_alpha = clean.mode in ("RGBA", "LA")
        out = io.BytesIO()
        if has_alpha:
            clean.save(out, format="PNG")
            content_type, extension, out_fmt = "image/png", ".png", "png"
        else:
            clean = clean.convert("RGB")
            clean.save(out, format="JPEG", quality=settings.EVIDENCE_JPEG_QUALITY)
            content_type, extension, out_fmt = "image/jpeg", ".jpg", "jpeg"
        thumb = _thumbnail(clean)
    except Exception as exc:  # hostile input: refuse, never a 500
        raise refuse(_("图片无法处理，请换一张重试。")) from exc
    return Checked(
        kind=Kind.IMAGE,
        fmt=out_fmt,
        content_type=content_type,
        extension=extension,
        content=out.getvalue(),
        thumbnail=thumb,
        width=clean.size[0],
        height=clean.size[1],
        captured_at=captured,
    )


def _bare_pixels(image: Image.Image) -> Image.Image:
    """A new image with the same pixels and nothing else: no info dict, no EXIF, no ICC."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        palette_alpha = image.mode in ("P", "PA") and "transparency" in image.info
        has_alpha = palette_alpha or "A" in image.mode
        image = image.convert("RGBA" if has_alpha else "RGB")
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    bare.info = {}
    return bare


def _thumbnail(image: Image.Image) -> bytes:
    edge = settings.EVIDENCE_THUMB_EDGE
    thumb = image.copy()
    thumb.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    if thumb.mode != "RGB":
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A") if "A" in thumb.mode else None)
        thumb = background
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=80)
    return out.getvalue()


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
