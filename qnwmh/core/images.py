"""The one pipeline every image the platform stores goes through (evidence photos, complaint
photos, a collective's own photo), so none is kept as uploaded.

- ``sniff_image(head)``: the format the first bytes announce (JPEG, PNG, WebP, HEIC/HEIF),
  never the declared content type or extension.
- ``open_capped(stream, fmt)``: parse the header only and refuse above
  ``settings.EVIDENCE_MAX_PIXELS`` before a single pixel is decoded (decompression bombs).
  Cheap: callers with several files open every one before decoding any.
- ``reencode(image)``: decode (a truncated or corrupt file fails here; a JPEG at a reduced
  DCT scale when at least twice the kept size, ``Image.draft``), turned upright (EXIF
  orientation), scaled down to ``settings.EVIDENCE_MAX_EDGE`` and re-encoded from bare
  pixels, so no metadata survives (EXIF, GPS, XMP, ICC, comments); the EXIF capture time is
  read first; nothing full-size is copied twice. A thumbnail is made.

Refusals raise ``DomainError(code="image_refused", field="file")`` with a Chinese message.
"""

from __future__ import annotations

import datetime
import io
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from qnwmh.core.errors import DomainError

# Extensions accepted for each image format.
IMAGE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "png": (".png",),
    "webp": (".webp",),
    "heic": (".heic", ".heif", ".hif"),
}
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}
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

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME_DIGITIZED = 0x9004
DATETIME = 0x0132


@dataclass
class CleanImage:
    """A re-encoded image: bare pixels, no metadata."""

    fmt: str  # "jpeg" or "png"
    content_type: str
    extension: str
    content: bytes
    thumbnail: bytes
    width: int
    height: int
    captured_at: datetime.datetime | None


def refuse(message: str) -> DomainError:
    return DomainError(message, code="image_refused", field="file")


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def ftyp_brands(head: bytes) -> set[bytes]:
    size = int.from_bytes(head[0:4], "big")
    end = min(size, len(head)) if size >= 16 else 12
    brands = {head[8:12]}
    for offset in range(16, end - 3, 4):
        brands.add(head[offset : offset + 4])
    return brands


def sniff_image(head: bytes, *, video_brands: Collection[bytes] = frozenset()) -> str | None:
    """The image format the first bytes announce, or None. An ISO-BMFF file counts as HEIF
    only when it names no brand in ``video_brands``."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brands = ftyp_brands(head)
        if brands & HEIF_BRANDS and not brands & set(video_brands):
            return "heic"
    return None


def open_capped(stream: IO[bytes], fmt: str) -> Image.Image:
    """Open ``stream`` (at 0) as ``fmt`` reading the header only; refuse a mismatched format
    or more than ``EVIDENCE_MAX_PIXELS`` pixels without decoding any."""
    if fmt == "heic" and "HEIF" not in Image.registered_extensions().values():
        raise refuse(
            _("服务器暂不支持 HEIC 图片，请在手机上选择“兼容性最佳”格式或转换为 JPEG 后上传。")
        )
    max_pixels = settings.EVIDENCE_MAX_PIXELS
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(_("图片像素数超过上限，疑似恶意文件，已拒收。")) from None
    except Exception as exc:  # any parser failure on hostile input is a refusal, not a 500
        raise refuse(_("图片文件已损坏或不完整，无法读取。")) from exc
    if image.format != PIL_FORMATS[fmt]:
        raise refuse(_("图片内容与其格式不符。"))
    width, height = image.size
    if width * height > max_pixels or width <= 0 or height <= 0:
        raise refuse(
            _("图片尺寸过大（%(w)s×%(h)s），像素总数不能超过 %(max)s 万。")
            % {"w": width, "h": height, "max": max_pixels // 10000}
        )
    return image


def check_image(stream: IO[bytes], *, name: str) -> tuple[str, Image.Image]:
    """Sniff, match the extension and open with the pixel cap: (format, unopened image)."""
    stream.seek(0)
    fmt = sniff_image(stream.read(64))
    stream.seek(0)
    if fmt is None:
        raise refuse(_("只能上传照片（JPEG、PNG、WebP 或 HEIC）。"))
    ext = extension_of(name)
    if ext not in IMAGE_EXTENSIONS[fmt]:
        raise refuse(
            _("文件扩展名“%(ext)s”与文件内容（%(fmt)s）不符，请上传原始文件。")
            % {"ext": ext or _("无"), "fmt": fmt.upper()}
        )
    return fmt, open_capped(stream, fmt)


def captured_at(image: Image.Image) -> datetime.datetime | None:
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
            return timezone.make_aware(naive)
    return None


def reencode(image: Image.Image) -> CleanImage:
    """Decode ``image`` (from ``open_capped``) and return it re-encoded without metadata."""
    limit = settings.EVIDENCE_MAX_EDGE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            taken = captured_at(image)
            if image.format == "JPEG" and max(image.size) > limit:
                # Let the decoder scale by 1/2, 1/4 or 1/8 while reading whenever the result
                # still covers the kept size (a 12000×8000 photo kept at 4096 is read at
                # 6000×4000, a quarter of the memory); what is kept is not affected.
                scale = limit / max(image.size)
                w, h = image.size
                image.draft(None, (max(1, int(w * scale)), max(1, int(h * scale))))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(_("图片像素数超过上限，疑似恶意文件，已拒收。")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise refuse(_("图片文件已损坏或不完整，无法读取。")) from exc
    except Exception as exc:  # any other parser failure on hostile input is a refusal
        raise refuse(_("图片文件已损坏或不完整，无法读取。")) from exc
    try:
        # Shrink before copying pixels around, so no full-size copy is ever made twice.
        if max(image.size) > limit:
            image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
        upright = ImageOps.exif_transpose(image) or image
        clean = bare_pixels(upright)
        del image, upright
        has_alpha = clean.mode in ("RGBA", "LA")
        out = io.BytesIO()
        if has_alpha:
            clean.save(out, format="PNG")
            content_type, extension, out_fmt = "image/png", ".png", "png"
        else:
            clean = clean.convert("RGB")
            clean.save(out, format="JPEG", quality=settings.EVIDENCE_JPEG_QUALITY)
            content_type, extension, out_fmt = "image/jpeg", ".jpg", "jpeg"
        thumb = thumbnail(clean)
    except Exception as exc:  # hostile input: refuse, never a 500
        raise refuse(_("图片无法处理，请换一张重试。")) from exc
    return CleanImage(
        fmt=out_fmt,
        content_type=content_type,
        extension=extension,
        content=out.getvalue(),
        thumbnail=thumb,
        width=clean.size[0],
        height=clean.size[1],
        captured_at=taken,
    )


def bare_pixels(image: Image.Image) -> Image.Image:
    """A new image with the same pixels and nothing else: no info dict, no EXIF, no ICC."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        palette_alpha = image.mode in ("P", "PA") and "transparency" in image.info
        has_alpha = palette_alpha or "A" in image.mode
        image = image.convert("RGBA" if has_alpha else "RGB")
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    bare.info = {}
    return bare


def thumbnail(image: Image.Image) -> bytes:
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
