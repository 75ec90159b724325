"""Builders for upload tests: real files made with Pillow and by hand, good and hostile."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS = {1: "N", 2: (22.0, 31.0, 12.5), 3: "E", 4: (113.0, 22.0, 1.0)}


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg(
    size: tuple[int, int] = (60, 40),
    color: tuple[int, int, int] = (10, 200, 30),
    *,
    gps: bool = False,
    orientation: int | None = None,
    taken: str | None = None,
    comment: bytes | None = None,
) -> bytes:
    image = Image.new("RGB", size, color)
    # A marker block so orientation is visible in the pixels: top-left corner red.
    image.paste((255, 0, 0), (0, 0, max(1, size[0] // 4), max(1, size[1] // 4)))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif.get_ifd(0x8825).update(GPS)
    out = io.BytesIO()
    kwargs = {"exif": exif.tobytes()}
    if comment:
        kwargs["comment"] = comment
    image.save(out, "JPEG", quality=90, **kwargs)
    return out.getvalue()


def png(size: tuple[int, int] = (50, 30), mode: str = "RGBA") -> bytes:
    image = Image.new(mode, size, (0, 0, 255, 128) if mode == "RGBA" else (0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 200, 0)).save(out, "WEBP")
    return out.getvalue()


def heic() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 10, 10)).save(out, "HEIF")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A real, valid 1-bit PNG of width×height: a few dozen KB that decode to 400 megapixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def jpeg_with_dimensions(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims width×height (never decodable at that size)."""
    data = bytearray(jpeg((16, 16)))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


LOCATION = b"+22.5200+113.3700/"


def mp4(brand: bytes = b"isom", *, location: bool = True, top_level: bool = False) -> bytes:
    """A minimal MP4; with ``location``, a ``udta/©xyz`` box holding ``LOCATION`` inside the
    movie and, with ``top_level``, also a ``meta/loci`` and an XMP ``uuid`` box after it."""
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + brand + b"mp41")
    mvhd = box(b"mvhd", b"\x00" * 100)
    udta = box(b"udta", box(b"\xa9xyz", b"\x00\x12\x15\xc7" + LOCATION))
    moov = box(b"moov", mvhd + (udta if location else b""))
    extra = b""
    if top_level:
        extra = box(b"meta", b"\x00" * 4 + box(b"loci", b"\x00" * 6 + LOCATION)) + box(
            b"uuid", b"\xbe\x7a\xcf\xcb" * 4 + b"<exif:GPSLatitude>" + LOCATION
        )
    return ftyp + moov + extra + box(b"mdat", b"\x00\x01\x02\x03" * 64)


def pdf(body: bytes = b"") -> bytes:
    objects = (
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + body + b">>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    )
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    xref_at = len(head) + len(objects)
    return (
        head
        + objects
        + b"xref\n0 3\n0000000000 65535 f \n"
        + b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n"
        + str(xref_at).encode()
        + b"\n%%EOF\n"
    )


def pdf_with_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    stream = (
        b"3 0 obj\n<< /Type /ObjStm /Length "
        + str(len(packed)).encode()
        + b" /Filter /FlateDecode >>\n"
        b"stream\n" + packed + b"\nendstream\nendobj\n"
    )
    base = pdf()
    cut = base.index(b"xref")
    return base[:cut] + stream + base[cut:]
