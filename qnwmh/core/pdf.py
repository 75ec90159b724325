"""HTML to PDF (WeasyPrint), the one way every printable document is made.

One font configuration serves the whole process: WeasyPrint otherwise loads the CJK fonts
afresh for every document and never gives them back (measured +30 MB of resident memory per
certificate, 895 MB after 20; shared, 315 MB and a third faster: bench/RESULTS.md). We declare
no @font-face, so nothing is added to it after it is made. Our processes render one document
at a time (sync web workers, one task worker thread)."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s at start-up

    return bytes(HTML(string=html).write_pdf(font_config=_font_config()))
