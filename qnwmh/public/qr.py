"""QR codes pointing at a collective's public page (segno: pure Python, no Pillow)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from qnwmh.collectives.models import Collective


def public_url(collective: Collective, request: HttpRequest | None = None) -> str:
    """The absolute address of the collective's public page: SITE_URL when configured (a
    plaque outlives whatever host the board was printed from), else the request's host."""
    path = reverse("public:collective", kwargs={"code": collective.code})
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is None:
        raise ValueError("SITE_URL is not set and there is no request to take the host from")
    return request.build_absolute_uri(path)


def _qr(url: str) -> segno.QRCode:
    # Level M survives a scuffed or partly covered plaque without growing the code much.
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=scale, border=2, xmldecl=False)
    return out.getvalue()


def qr_png(url: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def qr_data_uri(url: str) -> str:
    return str(_qr(url).svg_data_uri(scale=4, border=2))
