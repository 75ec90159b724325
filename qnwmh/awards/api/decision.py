"""Awards API: the decision part (``/api/v1/awards/...``) — the audit list, deciding,
decisions, certificates (their PDF answered as a PDF file),
and the public verification of a certificate number. Same selectors and services as the
pages: a domain error answers 400 in Chinese, a refusal 403, outside the scope 404."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.awards.documents.certificates import certificate_pdf
from qnwmh.awards.models import Certificate, Decision
from qnwmh.awards.selectors.certificates import (
    certificate_detail,
    certificates_visible_to,
    current_certificates,
    verify_certificate,
)
from qnwmh.awards.selectors.decision import (
    audit_rows,
    caps_view,
    decision_detail,
    decisions_visible_to,
    shortlist_for_decision,
)
from qnwmh.awards.services import decision as services
from qnwmh.core.apischema import (
    CodeStr,
    IdInt,
    Line,
    Page,
    PageQuery,
    Text,
    api_actor,
    errors,
    file_response,
    page_of,
    public_errors,
)
from qnwmh.core.permissions import require

router = Router(tags=["awards"])

NumberStr = Annotated[str, Field(pattern=r"^ZS[0-9]{9,20}[0-9A-Z]$")]
# Verification takes a number as typed (spaces, dashes, lower case) and answers unknown.
TypedNumber = Annotated[str, Field(min_length=1, max_length=40)]


class DecisionCheckOut(Schema):
    label: str
    ok: bool
    why: str


class DecisionAuditEntryOut(Schema):
    id: int
    collective_code: str
    collective: str
    body_id: int
    body: str
    body_position: int | None
    status: str
    star_review: bool
    ready: bool
    checks: list[DecisionCheckOut]
    decision_code: str | None


class DecisionBodyCapOut(Schema):
    body_id: int
    body: str
    cap: int
    listed: int
    decided: int


class DecisionAuditOut(Schema):
    shortlist_code: str
    city_cap: int
    decided: int
    bodies: list[DecisionBodyCapOut]
    entries: list[DecisionAuditEntryOut]


class DecisionIn(Schema):
    document_no: Line = Field(min_length=1, max_length=60)
    decided_on: datetime.date
    audit_note: Text = Field(default="", max_length=2000)
    entries: list[IdInt] = Field(min_length=1, max_length=500)


class AwardCertificateOut(Schema):
    number: str
    title_code: str
    collective_code: str
    collective: str
    body_id: int
    level: str
    stars: int
    session_no: int
    year: int
    issued_on: datetime.date
    superseded: bool
    title_active: bool
    decision_code: str | None


class AwardDecisionOut(Schema):
    code: str
    document_no: str
    decided_on: datetime.date
    audit_note: str
    shortlist_code: str
    certificates: list[AwardCertificateOut]


class AwardDecisionSummaryOut(Schema):
    code: str
    document_no: str
    decided_on: datetime.date
    shortlist_code: str


class CertificateVerifyOut(Schema):
    verdict: str  # cert_valid, cert_superseded, cert_ended, cert_unknown
    number: str
    collective_code: str | None = None
    collective: str | None = None
    level: str | None = None
    stars: int | None = None
    session_no: int | None = None
    issued_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    current_number: str | None = None


class AwardCertificateFilters(Schema):
    body: IdInt | None = None
    current: bool = False


def _cert_out(c: Certificate) -> dict[str, Any]:
    t = c.title
    return {
        "number": c.number,
        "title_code": t.code,
        "collective_code": t.collective.code,
        "collective": t.collective.name,
        "body_id": t.collective.body_id,
        "level": t.level,
        "stars": c.stars,
        "session_no": t.session_no,
        "year": t.year,
        "issued_on": c.issued_on,
        "superseded": c.superseded_at is not None,
        "title_active": t.status == "active",
        "decision_code": c.decision.code if c.decision else None,
    }


def _decision_out(d: Decision) -> dict[str, Any]:
    certs = Certificate.objects.filter(decision=d).select_related("title__collective", "decision")
    return {
        "code": d.code,
        "document_no": d.document_no,
        "decided_on": d.decided_on,
        "audit_note": d.audit_note,
        "shortlist_code": d.shortlist.code,
        "certificates": [_cert_out(c) for c in certs.order_by("id")],
    }


def _site(request: HttpRequest) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@router.get("/shortlists/{code}/audit", response={200: DecisionAuditOut, **errors(403, 404)})
def get_audit(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """The final list: each listed or decided entry with its checks, and the caps."""
    actor = api_actor(request)
    require(actor, "awards.decide")
    s = shortlist_for_decision(actor, code)
    caps = caps_view(s)
    return {
        "shortlist_code": s.code,
        "city_cap": caps.caps.city_cap,
        "decided": caps.decided,
        "bodies": [
            {
                "body_id": b.body.pk,
                "body": b.body.name,
                "cap": b.cap,
                "listed": b.listed,
                "decided": b.decided,
            }
            for b in caps.bodies
        ],
        "entries": [
            {
                "id": r.entry.pk,
                "collective_code": r.entry.collective.code,
                "collective": r.entry.collective.name,
                "body_id": r.entry.body_id,
                "body": r.entry.body.name,
                "body_position": r.entry.body_position,
                "status": r.entry.status,
                "star_review": r.entry.star_review,
                "ready": r.ready,
                "checks": [{"label": c.label, "ok": c.ok, "why": c.why} for c in r.checks],
                "decision_code": r.entry.decision.code if r.entry.decision else None,
            }
            for r in audit_rows(s)
        ],
    }


@router.post(
    "/shortlists/{code}/decisions", response={201: AwardDecisionOut, **errors(400, 403, 404)}
)
def create_decision(request: HttpRequest, code: CodeStr, payload: DecisionIn) -> Status:
    actor = api_actor(request)
    require(actor, "awards.decide")
    s = shortlist_for_decision(actor, code)
    done = services.decide(
        actor,
        s,
        payload.entries,
        document_no=payload.document_no,
        decided_on=payload.decided_on,
        audit_note=payload.audit_note,
    )
    return Status(201, _decision_out(done.decision))


@router.get("/decisions", response={200: Page[AwardDecisionSummaryOut], **errors(403)})
def list_decisions(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    """The decisions you may see, newest first: all for the city and the bodies, those that
    named one of your collectives for a collective's manager."""
    actor = api_actor(request)
    page = page_of(decisions_visible_to(actor), q)
    page["results"] = [
        {
            "code": d.code,
            "document_no": d.document_no,
            "decided_on": d.decided_on,
            "shortlist_code": d.shortlist.code,
        }
        for d in page["results"]
    ]
    return page


@router.get("/decisions/{code}", response={200: AwardDecisionOut, **errors(403, 404)})
def get_decision(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    require(actor, "awards.view")
    return _decision_out(decision_detail(actor, code))


@router.get("/certificates", response={200: Page[AwardCertificateOut], **errors(403)})
def list_certificates(
    request: HttpRequest, filters: Query[AwardCertificateFilters], q: Query[PageQuery]
) -> dict[str, Any]:
    """The certificates you may see (your bodies' collectives), newest first."""
    actor = api_actor(request)
    require(actor, "awards.view")
    if filters.current:
        qs = current_certificates(actor, body_id=filters.body)
    else:
        qs = certificates_visible_to(actor).order_by("-issued_on", "-id")
        if filters.body:
            qs = qs.filter(title__collective__body_id=filters.body)
    page = page_of(qs, q)
    page["results"] = [_cert_out(c) for c in page["results"]]
    return page


@router.get("/certificates/{number}", response={200: AwardCertificateOut, **errors(403, 404)})
def get_certificate(request: HttpRequest, number: NumberStr) -> dict[str, Any]:
    actor = api_actor(request)
    require(actor, "awards.view")
    return _cert_out(certificate_detail(actor, number))


@router.get(
    "/certificates/{number}/pdf",
    response=errors(403, 404),
    openapi_extra=file_response("application/pdf"),
)
def get_certificate_pdf(request: HttpRequest, number: NumberStr) -> HttpResponse:
    """The printable certificate (A4 landscape, with its verify QR code), as a PDF."""
    actor = api_actor(request)
    require(actor, "awards.view")
    cert = certificate_detail(actor, number)
    response = HttpResponse(
        certificate_pdf(cert, base_url=_site(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.number}.pdf"'
    return response


@router.get("/verify/{number}", response={200: CertificateVerifyOut, **public_errors()}, auth=None)
def verify(request: HttpRequest, number: TypedNumber) -> dict[str, Any]:
    """Anyone: what a certificate number stands for (valid, superseded, ended, unknown)."""
    check = verify_certificate(number)
    out: dict[str, Any] = {"verdict": check.verdict, "number": check.number}
    c = check.certificate
    if c is not None:
        t = c.title
        out.update(
            collective_code=t.collective.code,
            collective=t.collective.name,
            level=t.level,
            stars=c.stars,
            session_no=t.session_no,
            issued_on=c.issued_on,
            ended_on=t.ended_on,
            current_number=check.current.number if check.current else None,
        )
    return out
