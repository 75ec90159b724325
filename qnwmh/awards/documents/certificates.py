"""Certificates as PDF (A4 landscape, WeasyPrint with the Noto CJK fonts as the other PDFs):
one certificate, or all current certificates of a body in one file. Each carries a QR code of
its verify address ``{base_url}/verify/<number>/`` so a phone checks it in one scan."""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.awards.models import Certificate
from qnwmh.core.actor import Actor
from qnwmh.core.background import counted, inline_or_background
from qnwmh.core.pdf import html_to_pdf
from qnwmh.orgs.models import Organisation


def issuer_name() -> str:
    """The city's league committee, as its organisation is named."""
    city = Organisation.objects.filter(kind=Organisation.Kind.CITY).only("name").first()
    return city.name if city else ""


def verify_url(certificate: Certificate, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{certificate.number}/"


def _qr(url: str) -> str:
    # Level M, as the notice boards: survives a creased or glossy certificate.
    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2))


def render_certificates(certificates: Iterable[Certificate], *, base_url: str) -> bytes:
    pages = []
    for cert in counted(certificates):  # counted: a background build shows its progress
        url = verify_url(cert, base_url)
        pages.append({"cert": cert, "title": cert.title, "stars": "★" * cert.stars, "qr": _qr(url)})
    html = render_to_string(
        "awards/decision/certificate_pdf.html", {"pages": pages, "issuer": issuer_name()}
    )
    return html_to_pdf(html)


def certificate_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    """One certificate: collective, level, stars, 届次, date, number and the QR code."""
    return render_certificates([certificate], base_url=base_url)


def body_certificates_pdf(actor: Actor, body: Organisation, *, base_url: str) -> HttpResponseBase:
    """All current certificates of a body (its subtree's collectives) in one PDF: now, or past
    ``PDF_INLINE_ITEMS`` pages built by the worker and kept for download."""
    from qnwmh.awards.selectors.certificates import current_certificates

    count = current_certificates(actor, body_id=body.pk).count()
    return inline_or_background(
        actor,
        size=count,
        limit=settings.PDF_INLINE_ITEMS,
        label=_("%(body)s的证书（%(n)d 份）") % {"body": body.name, "n": count},
        run=body_certificates_file,
        body=body,
        base_url=base_url,
    )


def body_certificates_file(actor: Actor, body: Organisation, base_url: str) -> HttpResponse:
    from qnwmh.awards.selectors.certificates import current_certificates

    certs = current_certificates(actor, body_id=body.pk).iterator(chunk_size=200)
    log_action(actor, body, "awards.certificates.printed")
    response = HttpResponse(
        render_certificates(certs, base_url=base_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificates-{body.code}.pdf"'
    return response
