"""REST endpoints for cycles: the quota table, the cap figures and registrations (list, file,
review, submit, accept), calling the same selectors and services as the pages.

Mounted by the API app as ``router`` (``/api/v1/cycles/...``), under its token authentication
and error handlers: a domain error answers 400 with its Chinese message, a refusal 403, an
object outside the actor's scope 404, all in the API's error shape.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.apischema import CodeStr, Counted, IdInt, Line, Text, api_actor, counted, errors
from qnwmh.cycles import services
from qnwmh.cycles.models import Cycle, Registration, RegistrationStatus
from qnwmh.cycles.selectors import (
    RegistrationFilters,
    body_list,
    body_submission,
    cap_figures,
    cycle_detail,
    cycles_visible_to,
    quota_table,
    registration_api_rows,
    registration_in_cycle,
    with_collective_names,
)

router = Router(tags=["cycles"])

MAX_OFFSET = 1_000_000

if TYPE_CHECKING:
    RegistrationStatusStr = str
else:
    RegistrationStatusStr = Literal[tuple(RegistrationStatus.values)]


class CycleOut(Schema):
    code: CodeStr
    session_no: int
    registration_year: int
    certification_year: int
    phase: str
    registration_opens_on: datetime.date
    registration_closes_on: datetime.date
    creation_ends_on: datetime.date
    certification_starts_on: datetime.date
    certification_ends_on: datetime.date
    quotas_published: bool


def _cycle_out(c: Cycle) -> dict[str, Any]:
    return {
        **{f: getattr(c, f) for f in CycleOut.model_fields if f != "quotas_published"},
        "quotas_published": c.quotas_published_at is not None,
    }


class QuotaOut(Schema):
    body_id: int
    body: str
    base_kind: str
    base_value: int
    computed: int
    override: int | None
    override_reason: str
    quota: int
    accepted: int
    pending: int
    special: int
    cap: int
    list_status: str


class BodyCapOut(Schema):
    body_id: int
    body: str
    quota: int
    accepted: int
    cap: int
    special: int


class CapsOut(Schema):
    ratio: int
    accepted: int
    cap: int
    special: int
    quota_total: int
    sum_of_body_caps: int
    bodies: list[BodyCapOut]


class RegistrationOut(Schema):
    code: CodeStr
    number: str
    collective_code: CodeStr
    collective: str
    body_id: int
    body: str
    town: str
    ownership: str
    status: str
    rank: int | None
    special_recommendation: bool
    eligibility: str
    filed_at: datetime.datetime
    review_reason: str


class RegistrationPage(Counted):
    items: list[RegistrationOut]


class FileIn(Schema):
    collective_code: CodeStr
    plan_summary: Text = Field(max_length=5000)
    leader_name: Line = Field(max_length=50)
    leader_phone: Line = Field(default="", max_length=20)
    leading_group: Text = Field(max_length=2000)
    pledge: Text = Field(max_length=5000)
    special_recommendation: bool = False


class FiledOut(Schema):
    registration: RegistrationOut
    warnings: list[str]


class ReviewIn(Schema):
    action: Literal["accept", "return", "reject"]
    reason: Text = Field(default="", max_length=2000)


class DecideIn(Schema):
    action: Literal["accept", "return"]
    reason: Text = Field(default="", max_length=2000)


class SubmissionOut(Schema):
    body_id: int
    status: str
    reason: str


def _reg_out(r: Registration) -> dict[str, Any]:
    return {
        "code": r.code,
        "number": r.number,
        "collective_code": r.collective.code,
        "collective": r.collective.name,
        "body_id": r.body_id,
        "body": r.body.name,
        "town": r.town.name,
        "ownership": r.ownership,
        "status": r.status,
        "rank": r.rank,
        "special_recommendation": r.special_recommendation,
        "eligibility": r.eligibility,
        "filed_at": r.filed_at,
        "review_reason": r.review_reason,
    }


def _reg_row_out(row: dict[str, Any]) -> dict[str, Any]:
    """``_reg_out`` of a row of ``registration_api_rows`` (the list's rows are not objects)."""
    return {
        "code": row["code"],
        "number": row["number"],
        "collective_code": row["collective_code"],
        "collective": row["collective_name"],
        "body_id": row["body_id"],
        "body": row["body_name"],
        "town": row["town_name"],
        "ownership": row["ownership"],
        "status": row["status"],
        "rank": row["rank"],
        "special_recommendation": row["special_recommendation"],
        "eligibility": row["eligibility"],
        "filed_at": row["filed_at"],
        "review_reason": row["review_reason"],
    }


@router.get("/cycles", response={200: list[CycleOut], **errors()})
def list_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    return [_cycle_out(c) for c in cycles_visible_to(api_actor(request))]


@router.get("/cycles/{code}", response={200: CycleOut, **errors(404)})
def get_cycle(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _cycle_out(cycle_detail(api_actor(request), code))


@router.get("/cycles/{code}/quotas", response={200: list[QuotaOut], **errors(403, 404)})
def get_quotas(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    actor = api_actor(request)
    cycle = cycle_detail(actor, code)
    if not actor.is_staff_of_body:
        raise PermissionDenied
    return [
        {
            "body_id": q.body_id,
            "body": q.body.name,
            "base_kind": q.base_kind,
            "base_value": q.base_value,
            "computed": q.computed,
            "override": q.override,
            "override_reason": q.override_reason,
            "quota": q.final,
            "accepted": q.used,
            "pending": q.pending,
            "special": q.special,
            "cap": q.cap,
            "list_status": q.submission_status,
        }
        for q in quota_table(actor, cycle)
    ]


@router.get("/cycles/{code}/caps", response={200: CapsOut, **errors(403, 404)})
def get_caps(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    cycle = cycle_detail(actor, code)
    if not actor.is_staff_of_body:
        raise PermissionDenied
    caps = cap_figures(actor, cycle)
    return {
        "ratio": caps.ratio,
        "accepted": caps.accepted,
        "cap": caps.cap,
        "special": caps.special,
        "quota_total": caps.quota_total,
        "sum_of_body_caps": caps.sum_of_body_caps,
        "bodies": [
            {
                "body_id": b["body"].pk,
                "body": b["body"].name,
                "quota": b["quota"],
                "accepted": b["accepted"],
                "cap": b["cap"],
                "special": b["special"],
            }
            for b in caps.bodies
        ],
    }


@router.get("/cycles/{code}/registrations", response={200: RegistrationPage, **errors(404)})
def list_registrations(
    request: HttpRequest,
    code: CodeStr,
    status: RegistrationStatusStr | None = None,
    body: IdInt | None = None,
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """Registrations of the cycle you may see, newest first; ``limit`` at most the page cap."""
    actor = api_actor(request)
    cycle = cycle_detail(actor, code)
    rows = registration_api_rows(
        actor, cycle, RegistrationFilters.from_query({"status": status or "", "body": body or ""})
    )
    page = with_collective_names(rows[offset : offset + limit])
    return {**counted(rows), "items": [_reg_row_out(r) for r in page]}


@router.get(
    "/cycles/{code}/registrations/{reg_code}", response={200: RegistrationOut, **errors(404)}
)
def get_registration(request: HttpRequest, code: CodeStr, reg_code: CodeStr) -> dict[str, Any]:
    return _reg_out(registration_in_cycle(api_actor(request), code, reg_code))


@router.post("/cycles/{code}/registrations", response={201: FiledOut, **errors(400, 403, 404)})
def file_registration(request: HttpRequest, code: CodeStr, payload: FileIn) -> Status:
    actor = api_actor(request)
    cycle = cycle_detail(actor, code)
    collective = get_object_or_404(collectives_visible_to(actor), code=payload.collective_code)
    values = payload.dict(exclude={"collective_code"})
    filed = services.registration_file(actor, cycle=cycle, collective=collective, values=values)
    reg = Registration.objects.select_related("collective", "body", "town").get(
        pk=filed.registration.pk
    )
    return Status(201, {"registration": _reg_out(reg), "warnings": filed.warnings})


@router.post(
    "/cycles/{code}/registrations/{reg_code}/review",
    response={200: RegistrationOut, **errors(400, 403, 404)},
)
def review_registration(
    request: HttpRequest, code: CodeStr, reg_code: CodeStr, payload: ReviewIn
) -> dict[str, Any]:
    actor = api_actor(request)
    reg = registration_in_cycle(actor, code, reg_code)
    if payload.action == "accept":
        services.registration_accept(actor, registration=reg)
    elif payload.action == "return":
        services.registration_return(actor, registration=reg, reason=payload.reason)
    else:
        services.registration_reject(actor, registration=reg, reason=payload.reason)
    return _reg_out(
        Registration.objects.select_related("collective", "body", "town").get(pk=reg.pk)
    )


@router.post(
    "/cycles/{code}/submissions/{body_id}/submit",
    response={200: SubmissionOut, **errors(400, 403, 404)},
)
def submit_list(request: HttpRequest, code: CodeStr, body_id: IdInt) -> dict[str, Any]:
    actor = api_actor(request)
    own = body_list(actor, code, body_id)
    sub = services.submission_submit(actor, cycle=own.cycle, body=own.body)
    return {"body_id": sub.body_id, "status": sub.status, "reason": sub.reason}


@router.post(
    "/cycles/{code}/submissions/{body_id}/decide",
    response={200: SubmissionOut, **errors(400, 403, 404)},
)
def decide_list(
    request: HttpRequest, code: CodeStr, body_id: IdInt, payload: DecideIn
) -> dict[str, Any]:
    actor = api_actor(request)
    cycle = cycle_detail(actor, code)
    if not actor.is_city_admin:
        raise PermissionDenied
    sub = body_submission(actor, cycle, body_id)
    if payload.action == "accept":
        sub = services.submission_accept(actor, submission=sub)
    else:
        sub = services.submission_return(actor, submission=sub, reason=payload.reason)
    return {"body_id": sub.body_id, "status": sub.status, "reason": sub.reason}
