"""Open311-like API for public supervision, mounted by the platform's NinjaAPI at
``/api/v1/supervision/``. Intake from other channels (e.g. 青年之声) needs no token and is
rate-limited like the web form; the status query answers by tracking code and never returns
the filer's identity. Staff endpoints use the API token (``request.auth``) and go through the same services and
scoping as the pages; their errors (400 domain rule, 403, 404 out of scope) are answered in the
API's error shape by its handlers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from qnwmh.accounts.middleware import client_ip
from qnwmh.collectives.models import Collective, CollectiveStatus
from qnwmh.core.actor import Actor
from qnwmh.core.apischema import CodeStr, Line, Text, api_actor, errors, public_errors
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.supervision import services
from qnwmh.supervision.models import TIMELINESS, Category, Complaint, Kind
from qnwmh.supervision.models import Status as ComplaintStatus
from qnwmh.supervision.selectors import (
    STATES,
    ComplaintFilters,
    complaint_detail,
    complaint_for_filer,
    complaint_rows,
)

router = Router(tags=["supervision"])

MAX_OFFSET = 1_000_000
# Tracking codes are opaque codes of TRACKING_CODE_LENGTH; any case is accepted.
TrackingStr = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,32}$")]
if TYPE_CHECKING:
    ActionStr = str
    ServiceCodeStr = str
    StateStr = str
    StatusStr = str
    TimelinessStr = str
else:
    # "assign" needs a handler chosen on the page; every other handling step is offered here.
    ActionStr = Literal[
        "acknowledge",
        "investigate",
        "rectify",
        "reply",
        "not_substantiated",
        "duplicate",
        "close",
        "hide",
        "show",
    ]
    ServiceCodeStr = Literal[tuple(f"{k}.{c}" for k in Kind.values for c in Category.values)]
    StateStr = Literal[tuple(STATES)]
    StatusStr = Literal[tuple(ComplaintStatus.values)]
    TimelinessStr = Literal[TIMELINESS]


class ServiceOut(Schema):
    service_code: str
    service_name: str
    group: str
    description: str


class RequestIn(Schema):
    collective_code: CodeStr
    service_code: ServiceCodeStr = Field(description="<kind>.<category>, see /services")
    description: Text = Field(max_length=5000)
    first_name: Line = Field(default="", max_length=50)
    phone: Line = Field(default="", max_length=30)


class RequestCreated(Schema):
    service_request_id: str
    filer_secret: str = Field(
        description="The filer's secret, given only here: send it as X-Filer-Secret to read "
        "the details and reply, and with the feedback. Staff never see it."
    )
    status: str
    ack_due: datetime.date
    finish_due: datetime.date


class FeedbackIn(Schema):
    secret: Line = Field(max_length=32)
    satisfied: bool
    comment: Text = Field(default="", max_length=500)


class RequestStatus(Schema):
    service_request_id: str
    service_code: str
    status: str
    status_label: str
    description: str
    agency_responsible: str
    requested_datetime: datetime.datetime
    expected_datetime: datetime.date
    status_notes: str
    updated_datetime: datetime.datetime


class StaffRequest(RequestStatus):
    collective: str
    collective_code: str
    overdue: bool
    escalation_level: int
    city_review: bool


class ActionIn(Schema):
    action: ActionStr
    findings: Text = Field(default="", max_length=5000)
    rectification: Text = Field(default="", max_length=5000)
    reply: Text = Field(default="", max_length=5000)
    reason: Text = Field(default="", max_length=2000)
    original_code: Line = Field(default="", max_length=32)


def _service_codes() -> list[tuple[str, str, str]]:
    return [
        (f"{k.value}.{c.value}", f"{k.label} · {c.label}", str(k.label))
        for k in Kind
        for c in Category
    ]


@router.get("/services", response={200: list[ServiceOut], **public_errors()}, auth=None)
def list_services(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"service_code": code, "service_name": name, "group": group, "description": ""}
        for code, name, group in _service_codes()
    ]


@router.post("/requests", response={201: RequestCreated, **public_errors(400, 404, 429)}, auth=None)
def create_request(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    kind, _sep, category = payload.service_code.partition(".")
    collective = Collective.objects.filter(
        code=payload.collective_code, status=CollectiveStatus.ACTIVE
    ).first()
    if collective is None:
        raise HttpError(404, "未找到该集体。")
    try:
        c = services.complaint_file(
            Actor(user=None, ip=client_ip(request)),
            collective=collective,
            kind=kind,
            category=category,
            text=payload.description,
            filer_name=payload.first_name,
            filer_phone=payload.phone,
            via_api=True,
        )
    except DomainError as exc:
        if exc.code == "rate_limited":
            raise HttpError(429, str(exc)) from None
        raise  # answered 400 with the message and field by the API's handler
    return Status(
        201,
        {
            "service_request_id": c.code,
            "filer_secret": c.filer_secret,
            "status": c.status,
            "ack_due": c.ack_due,
            "finish_due": c.finish_due,
        },
    )


def _public(c: Complaint) -> dict[str, Any]:
    return {
        "service_request_id": c.code,
        "service_code": f"{c.kind}.{c.category}",
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "description": c.public_text,
        "agency_responsible": c.collective.name,
        "requested_datetime": c.received_at,
        "expected_datetime": c.finish_due,
        "status_notes": c.reply_text,
        "updated_datetime": c.updated_at,
    }


@router.get("/requests/{code}", response={200: RequestStatus, **public_errors(403, 404)}, auth=None)
def get_request(
    request: HttpRequest,
    code: TrackingStr,
    x_filer_secret: str | None = Header(
        None,
        alias="X-Filer-Secret",
        max_length=32,
        description="The filer's secret: without it the text and the reply are left blank.",
    ),
) -> dict[str, Any]:
    c = complaint_for_filer(code)
    if x_filer_secret is None:
        return {**_public(c), "description": "", "status_notes": ""}
    if not c.filer_secret_matches(x_filer_secret):
        raise HttpError(403, _("查询密码不正确。"))
    return _public(c)


@router.post(
    "/requests/{code}/feedback",
    response={200: RequestStatus, **public_errors(400, 403, 404)},
    auth=None,
)
def post_feedback(request: HttpRequest, code: TrackingStr, payload: FeedbackIn) -> dict[str, Any]:
    """The filer's answer to the reply (satisfied closes it, unsatisfied sends it to the city
    for review); needs the filer's secret, which the tracking code alone is not."""
    c = complaint_for_filer(code)
    try:
        c = services.complaint_feedback(
            Actor(user=None, ip=client_ip(request)),
            complaint=c,
            secret=payload.secret,
            satisfied=payload.satisfied,
            comment=payload.comment,
        )
    except DomainError as exc:
        if exc.code in ("wrong_secret", "no_secret"):
            raise HttpError(403, str(exc)) from None
        raise
    return _public(c)


def _staff_row(c: Complaint) -> dict[str, Any]:
    return {
        **_public(c),
        "description": c.text,
        "collective": c.collective.name,
        "collective_code": c.collective.code,
        "overdue": c.is_overdue(),
        "escalation_level": c.escalation_level,
        "city_review": c.city_review,
    }


@router.get("/staff/requests", response={200: list[StaffRequest], **errors(403)})
def staff_list(
    request: HttpRequest,
    state: StateStr | None = None,
    status: StatusStr | None = None,
    year: int | None = Query(None, ge=2000, le=2100, description="received in this year"),
    ack: TimelinessStr | None = None,
    finish: TimelinessStr | None = None,
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    """Complaints you handle or oversee, as on the back-office list (the same filters):
    ``year`` received in, ``ack`` / ``finish`` acknowledged / finished by the working-day
    deadline (``on_time``) or not (``late``)."""
    actor = api_actor(request)
    require(actor, "supervision.view_list")
    params = {"state": state, "status": status, "year": year, "ack": ack, "finish": finish}
    rows = complaint_rows(
        actor, ComplaintFilters.from_query({k: v for k, v in params.items() if v is not None})
    )
    return [_staff_row(c) for c in rows[offset : offset + limit]]


@router.get("/staff/requests/{code}", response={200: StaffRequest, **errors(404)})
def staff_get(request: HttpRequest, code: TrackingStr) -> dict[str, Any]:
    return _staff_row(complaint_detail(api_actor(request), code))


@router.post(
    "/staff/requests/{code}/actions", response={200: StaffRequest, **errors(400, 403, 404)}
)
def staff_act(request: HttpRequest, code: TrackingStr, payload: ActionIn) -> dict[str, Any]:
    """One handling step (acknowledge, reply, close, ...), through the same services as the
    back-office page. Assigning a handler is done on the page."""
    from qnwmh.supervision.views import ACTIONS

    actor = api_actor(request)
    complaint = complaint_detail(actor, code)
    ACTIONS[payload.action](actor, complaint, payload.dict())
    return _staff_row(
        get_object_or_404(Complaint.objects.select_related("collective"), pk=complaint.pk)
    )
