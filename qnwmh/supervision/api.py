"""Open311-like API for public supervision, mounted by the platform's NinjaAPI at
``/api/v1/supervision/``. Intake from other channels (e.g. 青年之声) needs no token and is
rate-limited like the web form; the status query answers by tracking code and never returns
the filer's identity. Staff endpoints use the caller's session or token (``request.actor`` or
``request.user``) and go through the same services and scoping as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from qnwmh.accounts.actor import Actor, actor_for
from qnwmh.accounts.permissions import require
from qnwmh.collectives.models import Collective, CollectiveStatus
from qnwmh.core.errors import DomainError
from qnwmh.supervision import services
from qnwmh.supervision.models import Category, Complaint, Kind
from qnwmh.supervision.selectors import (
    ComplaintFilters,
    complaint_detail,
    complaint_for_filer,
    complaint_list,
)

router = Router(tags=["supervision"])


def _ip(request: HttpRequest) -> str | None:
    actor = getattr(request, "actor", None)
    return actor.ip if actor is not None and actor.ip else request.META.get("REMOTE_ADDR")


def _staff(request: HttpRequest) -> Actor:
    auth = getattr(request, "auth", None)  # whatever the mounting API's token auth returned
    if isinstance(auth, Actor):
        return auth
    if auth is not None and getattr(auth, "is_authenticated", False):
        return actor_for(auth, _ip(request))
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        user = getattr(request, "user", None)
        actor = actor_for(
            user if user is not None and getattr(user, "is_authenticated", False) else None,
            _ip(request),
        )
    if not actor.is_authenticated:
        raise HttpError(401, "需要登录或 API 令牌。")
    return actor


def _domain(exc: DomainError) -> HttpError:
    return HttpError(429 if exc.code == "rate_limited" else 400, str(exc))


class ServiceOut(Schema):
    service_code: str
    service_name: str
    group: str
    description: str


class RequestIn(Schema):
    collective_code: str
    service_code: str  # "<kind>.<category>", e.g. complaint.attitude
    description: str
    first_name: str = ""
    phone: str = ""


class RequestCreated(Schema):
    service_request_id: str
    status: str
    ack_due: datetime.date
    finish_due: datetime.date


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
    action: str
    findings: str = ""
    rectification: str = ""
    reply: str = ""
    reason: str = ""
    original_code: str = ""


def _service_codes() -> list[tuple[str, str, str]]:
    return [
        (f"{k.value}.{c.value}", f"{k.label} · {c.label}", str(k.label))
        for k in Kind
        for c in Category
    ]


@router.get("/services", response=list[ServiceOut], auth=None)
def list_services(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"service_code": code, "service_name": name, "group": group, "description": ""}
        for code, name, group in _service_codes()
    ]


@router.post("/requests", response={201: RequestCreated}, auth=None)
def create_request(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    kind, _, category = payload.service_code.partition(".")
    collective = Collective.objects.filter(
        code=payload.collective_code, status=CollectiveStatus.ACTIVE
    ).first()
    if collective is None:
        raise HttpError(404, "未找到该集体。")
    try:
        c = services.complaint_file(
            Actor(user=None, ip=_ip(request)),
            collective=collective,
            kind=kind,
            category=category,
            text=payload.description,
            filer_name=payload.first_name,
            filer_phone=payload.phone,
            via_api=True,
        )
    except DomainError as exc:
        raise _domain(exc) from None
    return Status(
        201,
        {
            "service_request_id": c.code,
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
        "status_notes": c.reply,
        "updated_datetime": c.updated_at,
    }


@router.get("/requests/{code}", response=RequestStatus, auth=None)
def get_request(request: HttpRequest, code: str) -> dict[str, Any]:
    try:
        return _public(complaint_for_filer(code))
    except Http404:
        raise HttpError(404, "未找到。") from None


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


@router.get("/staff/requests", response=list[StaffRequest])
def staff_list(
    request: HttpRequest, state: str = "", status: str = "", limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    actor = _staff(request)
    try:
        require(actor, "supervision.view_list")
    except Exception:
        raise HttpError(403, "无权查看。") from None
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    qs = complaint_list(actor, ComplaintFilters.from_query({"state": state, "status": status}))
    return [_staff_row(c) for c in qs[offset : offset + limit]]


@router.get("/staff/requests/{code}", response=StaffRequest)
def staff_get(request: HttpRequest, code: str) -> dict[str, Any]:
    actor = _staff(request)
    try:
        return _staff_row(complaint_detail(actor, code))
    except Http404:
        raise HttpError(404, "未找到。") from None


@router.post("/staff/requests/{code}/actions", response=StaffRequest)
def staff_act(request: HttpRequest, code: str, payload: ActionIn) -> dict[str, Any]:
    from django.core.exceptions import PermissionDenied

    from qnwmh.supervision.views import ACTIONS

    actor = _staff(request)
    try:
        complaint = complaint_detail(actor, code)
    except Http404:
        raise HttpError(404, "未找到。") from None
    run = ACTIONS.get(payload.action)
    if run is None or payload.action == "assign":
        raise HttpError(400, "未知的操作。")
    try:
        run(actor, complaint, payload.dict())
    except PermissionDenied:
        raise HttpError(403, "无权办理。") from None
    except DomainError as exc:
        raise _domain(exc) from None
    return _staff_row(
        get_object_or_404(Complaint.objects.select_related("collective"), pk=complaint.pk)
    )
