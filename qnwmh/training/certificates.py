"""A leader's completion certificate (PDF, WeasyPrint with the CJK fonts as every PDF) for a
checked-in invitation whose collective passed the session's test; and the session's QR code."""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string

from qnwmh.core.pdf import html_to_pdf
from qnwmh.knowledge.models import Attempt
from qnwmh.orgs.models import Organisation
from qnwmh.training.models import Invitation


def qr_svg(url: str, *, scale: int = 6) -> bytes:
    # Level M, as the plaques: read from a projector screen across a room.
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=2, xmldecl=False
    )
    return out.getvalue()


def certificate_pdf(invitation: Invitation) -> bytes:
    session = invitation.session
    passed = (
        Attempt.objects.filter(
            exam=session.exam, collective_id=invitation.collective_id, passed=True
        )
        .order_by("submitted_at")
        .first()
    )
    city = Organisation.objects.filter(kind=Organisation.Kind.CITY).only("name").first()
    html = render_to_string(
        "training/certificate_pdf.html",
        {
            "i": invitation,
            "s": session,
            "score": passed.score if passed else None,
            "issuer": session.organiser.name if session.organiser else (city.name if city else ""),
            "issued_on": (
                passed.submitted_at if passed and passed.submitted_at else session.ends_at
            ),
        },
    )
    return html_to_pdf(html)
