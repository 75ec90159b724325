"""Reading the QR codes printed on a PDF the way a phone would: the page rendered to PNG
(``pdftoppm``, poppler-utils) and decoded (``zbarimg``, zbar-tools). Both are installed in CI."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdf_info_and_text(pdf: bytes) -> tuple[dict[str, str], str]:
    """``pdfinfo``'s fields and ``pdftotext``'s text (poppler-utils)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return {k.strip(): v.strip() for k, v in fields.items()}, text


def qr_codes_in_pdf(pdf: bytes, *, dpi: int = 150) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(path), str(Path(tmp) / "page")],
            check=True,
            timeout=60,
        )
        found: list[str] = []
        for png in sorted(Path(tmp).glob("page*.png")):
            out = subprocess.run(
                ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            found += [line for line in out.stdout.splitlines() if line]
        return found
