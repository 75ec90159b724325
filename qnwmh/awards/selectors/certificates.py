"""Reads of certificates: the back office's lists (scoped by the collective's body) and the
public verification of a certificate number."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.awards.certificate_numbers import is_well_formed, normalise
from qnwmh.awards.models import Certificate
from qnwmh.collectives.models import TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope


def certificates_visible_to(actor: Actor) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related(
        "title__collective__body", "title__collective__town", "decision"
    )
    return in_scope(qs, actor, body="title__collective__body")


def certificate_detail(actor: Actor, number: str) -> Certificate:
    return get_object_or_404(certificates_visible_to(actor), number=normalise(number))


def current_certificates(actor: Actor, *, body_id: int | None = None) -> QuerySet[Certificate]:
    """Certificates in force: not superseded, title active (what a body prints in a batch)."""
    qs = certificates_visible_to(actor).filter(
        superseded_at__isnull=True, title__status=TitleStatus.ACTIVE
    )
    if body_id is not None:
        qs = qs.filter(title__collective__body_id=body_id)
    return qs.order_by("title__collective__name", "id")


class CertificateVerdict:
    VALID = "cert_valid"
    SUPERSEDED = "cert_superseded"  # replaced by a newer certificate of the same title
    ENDED = "cert_ended"  # the title was revoked or expired
    UNKNOWN = "cert_unknown"


@dataclass(frozen=True)
class CertificateCheck:
    verdict: str
    number: str
    certificate: Certificate | None = None
    current: Certificate | None = None  # the certificate in force, when this one is superseded


def verify_certificate(raw: str) -> CertificateCheck:
    """What the public is told about a certificate number (a mistyped one fails its check
    character and answers unknown, never another collective's certificate)."""
    number = normalise(raw)
    if not is_well_formed(number):
        return CertificateCheck(CertificateVerdict.UNKNOWN, number)
    cert = (
        Certificate.objects.select_related("title__collective__town", "title__collective__body")
        .filter(number=number)
        .first()
    )
    if cert is None:
        return CertificateCheck(CertificateVerdict.UNKNOWN, number)
    if cert.title.status != TitleStatus.ACTIVE:
        return CertificateCheck(CertificateVerdict.ENDED, number, cert)
    if cert.superseded_at is not None:
        current = Certificate.objects.filter(title=cert.title, superseded_at__isnull=True).first()
        return CertificateCheck(CertificateVerdict.SUPERSEDED, number, cert, current)
    return CertificateCheck(CertificateVerdict.VALID, number, cert)
