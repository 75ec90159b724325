"""Awards API: the notice part (``/api/v1/awards/...``), through the same selectors and
services as the pages. Staff routes take a token: inspections, publishing a notice, the
objections and their handling (a body admin reads its own entries' objections, the phone
masked). Public routes need none: the notices, filing an objection (rate-limited like the
form) and tracking one by its code, which never returns the contact or the internal
findings."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from qnwmh.accounts.middleware import client_ip
from qnwmh.accounts.models import User
from qnwmh.awards.models import (
    InspectionOutcome,
    NoticeItem,
    Objection,
    ObjectionOutcome,
    PublicNotice,
    ShortlistEntry,
)
from qnwmh.awards.selectors.notice import (
    OBJECTION_STATES,
    ObjectionFilters,
    entry_in_shortlist,
    inspection_list,
    is_overdue,
    notice_items,
    objection_detail,
    objection_list,
    public_item,
    public_notice,
    public_notices,
    shortlist_detail,
    tracked_objection,
)
from qnwmh.awards.services import notice as services
from qnwmh.core.actor import Actor
from qnwmh.core.apischema import (
    CodeStr,
    Counted,
    IdInt,
    Line,
    Text,
    api_actor,
    counted,
    errors,
    public_errors,
)
from qnwmh.core.errors import DomainError
from qnwmh.core.masking import mask_phone
from qnwmh.core.permissions import require

router = Router(tags=["awards"])

MAX_OFFSET = 1_000_000
TrackingStr = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,32}$")]
PositionInt = Annotated[int, Field(ge=1, le=100_000)]

if TYPE_CHECKING:
    InspectionOutcomeStr = str
    ObjectionOutcomeStr = str
    ObjectionStateStr = str
else:
    InspectionOutcomeStr = Literal[tuple(InspectionOutcome.values)]
    ObjectionOutcomeStr = Literal[tuple(ObjectionOutcome.values)]
    ObjectionStateStr = Literal[OBJECTION_STATES]


# Inspection ----------------------------------------------------------------------------------


class InspectionOut(Schema):
    visited_on: datetime.date
    inspectors: str
    findings: str
    outcome: str
    reason: str


class InspectionRowOut(Schema):
    entry_id: int
    collective_code: CodeStr
    collective: str
    body: str
    status: str
    removal_reason: str
    inspection: InspectionOut | None


class InspectionIn(Schema):
    visited_on: datetime.date
    inspectors: Line = Field(max_length=300)
    findings: Text = Field(max_length=3000)
    outcome: InspectionOutcomeStr
    reason: Text = Field(default="", max_length=2000)


def _inspection_out(entry: ShortlistEntry) -> dict[str, Any]:
    x = getattr(entry, "inspection", None)
    return {
        "entry_id": entry.pk,
        "collective_code": entry.collective.code,
        "collective": entry.collective.name,
        "body": entry.body.name,
        "status": entry.status,
        "removal_reason": entry.removal_reason,
        "inspection": None
        if x is None
        else {
            "visited_on": x.visited_on,
            "inspectors": x.inspectors,
            "findings": x.findings,
            "outcome": x.outcome,
            "reason": x.reason,
        },
    }


@router.get(
    "/shortlists/{code}/inspections", response={200: list[InspectionRowOut], **errors(403, 404)}
)
def list_inspections(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    """The entries ever listed on the shortlist (your bodies' only), with their inspection."""
    actor = _staff(request)
    return [_inspection_out(e) for e in inspection_list(actor, shortlist_detail(actor, code))]


@router.post(
    "/shortlists/{code}/inspections/{entry_id}",
    response={201: InspectionRowOut, **errors(400, 403, 404)},
)
def record_inspection(
    request: HttpRequest, code: CodeStr, entry_id: IdInt, payload: InspectionIn
) -> Status:
    """Record the inspection of a listed entry; ``failed`` takes it off the list."""
    actor = _staff(request)
    entry = entry_in_shortlist(actor, code, entry_id)
    services.inspection_record(actor, entry=entry, **payload.dict())
    return Status(201, _inspection_out(entry_in_shortlist(actor, code, entry_id)))


def _staff(request: HttpRequest) -> Actor:
    """The token's actor, refused (403) unless city staff or a body admin."""
    actor = api_actor(request)
    require(actor, "awards.view")
    return actor


# Notices -------------------------------------------------------------------------------------


class NoticeItemOut(Schema):
    position: int
    collective_code: CodeStr
    collective: str
    body: str
    town: str
    sector: str | None
    summary: str
    removed: bool
    removal_kind: str
    removal_reason: str


class NoticeOut(Schema):
    code: CodeStr
    heading: str
    intro: str
    contact: str
    opens_on: datetime.date
    closes_on: datetime.date
    state: str
    supplementary: bool


class NoticeDetailOut(NoticeOut):
    items: list[NoticeItemOut]


class NoticeItemIn(Schema):
    entry_id: IdInt
    summary: Text = Field(max_length=2000)


class NoticeIn(Schema):
    heading: Line = Field(max_length=200)
    intro: Text = Field(max_length=3000)
    contact: Line = Field(max_length=200)
    opens_on: datetime.date | None = None
    items: list[NoticeItemIn] = Field(min_length=1, max_length=1000)


def _notice_out(n: PublicNotice) -> dict[str, Any]:
    return {
        "code": n.code,
        "heading": n.heading,
        "intro": n.intro,
        "contact": n.contact,
        "opens_on": n.opens_on,
        "closes_on": n.closes_on,
        "state": n.state(),
        "supplementary": n.supplementary,
    }


def _item_out(i: NoticeItem) -> dict[str, Any]:
    e = i.entry
    removed = e.status == "removed"
    return {
        "position": i.position,
        "collective_code": e.collective.code,
        "collective": e.collective.name,
        "body": e.body.name,
        "town": e.town.name,
        "sector": e.collective.sector.name if e.collective.sector else None,
        "summary": i.summary,
        "removed": removed,
        "removal_kind": e.removal_kind if removed else "",
        "removal_reason": e.removal_reason if removed else "",
    }


def _detail(n: PublicNotice) -> dict[str, Any]:
    return {**_notice_out(n), "items": [_item_out(i) for i in notice_items(n)]}


@router.post("/shortlists/{code}/notices", response={201: NoticeDetailOut, **errors(400, 403, 404)})
def publish_notice(request: HttpRequest, code: CodeStr, payload: NoticeIn) -> Status:
    """Publish a notice of listed entries that passed inspection and are on no notice yet."""
    actor = _staff(request)
    shortlist = shortlist_detail(actor, code)
    summaries = {row.entry_id: row.summary for row in payload.items}
    if len(summaries) != len(payload.items):
        raise DomainError(_("每个集体只能列一次。"), field="items")
    notice = services.notice_publish(
        actor,
        shortlist=shortlist,
        heading=payload.heading,
        intro=payload.intro,
        contact=payload.contact,
        opens_on=payload.opens_on,
        summaries=summaries,
    )
    return Status(201, _detail(notice))


@router.get("/notices", response={200: list[NoticeOut], **public_errors()}, auth=None)
def list_notices(request: HttpRequest) -> list[dict[str, Any]]:
    """Notices that have opened (open now or ended), newest first."""
    return [_notice_out(n) for n in public_notices().order_by("-opens_on", "-id")[:200]]


@router.get("/notices/{code}", response={200: NoticeDetailOut, **public_errors(404)}, auth=None)
def get_notice(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _detail(public_notice(Actor(user=None), code))


# Objections ----------------------------------------------------------------------------------


class ObjectionIn(Schema):
    contact_name: Line = Field(max_length=50)
    contact_phone: Line = Field(max_length=30)
    contact_unit: Line = Field(default="", max_length=100)
    text: Text = Field(max_length=3000)


class ObjectionFiled(Schema):
    tracking_code: str
    status: str
    due_on: datetime.date


class ObjectionTrack(Schema):
    tracking_code: str
    notice_code: CodeStr
    collective: str
    status: str
    status_label: str
    received_at: datetime.datetime
    due_on: datetime.date
    outcome: str
    outcome_label: str
    public_reason: str


class ObjectionOut(Schema):
    id: int
    notice_code: CodeStr
    entry_id: int
    collective: str
    body: str
    contact_name: str
    contact_phone: str
    contact_unit: str
    text: str
    status: str
    handler: str | None
    received_at: datetime.datetime
    due_on: datetime.date
    overdue: bool
    outcome: str
    findings: str
    public_reason: str


class ObjectionPage(Counted):
    items: list[ObjectionOut]


class ObjectionAssignIn(Schema):
    handler_id: IdInt


class ObjectionDecideIn(Schema):
    outcome: ObjectionOutcomeStr
    findings: Text = Field(max_length=3000)
    public_reason: Text = Field(max_length=2000)


@router.post(
    "/notices/{code}/items/{position}/objections",
    response={201: ObjectionFiled, **public_errors(400, 404, 429)},
    auth=None,
)
def file_objection(
    request: HttpRequest, code: CodeStr, position: PositionInt, payload: ObjectionIn
) -> Status:
    """A named objection to a collective on an open notice. Keep the tracking code: it is
    the only way to read the outcome."""
    item = public_item(public_notice(Actor(user=None), code), position)
    try:
        o = services.objection_file(
            Actor(user=None, ip=client_ip(request)), item=item, **payload.dict()
        )
    except DomainError as exc:
        if exc.code == "rate_limited":
            raise HttpError(429, str(exc)) from None
        raise
    return Status(201, {"tracking_code": o.code, "status": o.status, "due_on": o.due_on})


@router.get(
    "/objections/track/{tracking_code}",
    response={200: ObjectionTrack, **public_errors(404)},
    auth=None,
)
def track_objection(request: HttpRequest, tracking_code: TrackingStr) -> dict[str, Any]:
    o = tracked_objection(Actor(user=None), tracking_code)
    decided = o.status == "decided"
    return {
        "tracking_code": o.code,
        "notice_code": o.item.notice.code,
        "collective": o.item.entry.collective.name,
        "status": o.status,
        "status_label": str(o.get_status_display()),
        "received_at": o.received_at,
        "due_on": o.due_on,
        "outcome": o.outcome if decided else "",
        "outcome_label": str(o.get_outcome_display()) if decided else "",
        "public_reason": o.public_reason if decided else "",
    }


def _objection_out(actor: Actor, o: Objection, today: datetime.date) -> dict[str, Any]:
    return {
        "id": o.pk,
        "notice_code": o.item.notice.code,
        "entry_id": o.item.entry_id,
        "collective": o.item.entry.collective.name,
        "body": o.item.entry.body.name,
        "contact_name": o.contact_name,
        "contact_phone": o.contact_phone if actor.is_city_admin else mask_phone(o.contact_phone),
        "contact_unit": o.contact_unit,
        "text": o.text,
        "status": o.status,
        "handler": o.handler.username if o.handler else None,
        "received_at": o.received_at,
        "due_on": o.due_on,
        "overdue": is_overdue(o, today),
        "outcome": o.outcome,
        "findings": o.findings,
        "public_reason": o.public_reason,
    }


@router.get("/objections", response={200: ObjectionPage, **errors(403)})
def list_objections(
    request: HttpRequest,
    state: ObjectionStateStr | None = None,
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """Objections on your entries (all, for city staff): open, overdue or decided."""
    actor = _staff(request)
    qs = objection_list(actor, ObjectionFilters(state=state or ""))
    today = timezone.localdate()
    return {
        **counted(qs),
        "items": [_objection_out(actor, o, today) for o in qs[offset : offset + limit]],
    }


@router.get("/objections/{objection_id}", response={200: ObjectionOut, **errors(403, 404)})
def get_objection(request: HttpRequest, objection_id: IdInt) -> dict[str, Any]:
    actor = _staff(request)
    return _objection_out(actor, objection_detail(actor, objection_id), timezone.localdate())


@router.post(
    "/objections/{objection_id}/assign", response={200: ObjectionOut, **errors(400, 403, 404)}
)
def assign_objection(
    request: HttpRequest, objection_id: IdInt, payload: ObjectionAssignIn
) -> dict[str, Any]:
    actor = _staff(request)
    objection = objection_detail(actor, objection_id)
    handler = get_object_or_404(User, pk=payload.handler_id)
    services.objection_assign(actor, objection=objection, handler=handler)
    return _objection_out(actor, objection_detail(actor, objection_id), timezone.localdate())


@router.post(
    "/objections/{objection_id}/decide", response={200: ObjectionOut, **errors(400, 403, 404)}
)
def decide_objection(
    request: HttpRequest, objection_id: IdInt, payload: ObjectionDecideIn
) -> dict[str, Any]:
    """Decide with internal findings and a public reason; upheld takes the entry off the list."""
    actor = _staff(request)
    objection = objection_detail(actor, objection_id)
    services.objection_decide(actor, objection=objection, **payload.dict())
    return _objection_out(actor, objection_detail(actor, objection_id), timezone.localdate())
