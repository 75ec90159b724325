"""REST endpoints of exchange (``/api/v1/exchange/...``), calling the same selectors and
services as the pages: events (list with the page's filters, read, create, move, cancel),
registration and withdrawal, attendance, minutes (photos: on the page), a mutual visit's
appraisals and the appraisal form's items."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.collectives.models import Collective
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.apischema import CodeStr, Line, Page, PageQuery, Text, api_actor, errors, page_of
from qnwmh.core.permissions import require
from qnwmh.exchange import selectors as sel
from qnwmh.exchange import services
from qnwmh.exchange.models import (
    POINTS,
    Appraisal,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from qnwmh.orgs.models import Organisation

router = Router(tags=["exchange"])

if TYPE_CHECKING:
    KindStr = str
    StatusStr = str
    MoveStr = str
else:
    KindStr = Literal[tuple(EventKind.values)]
    StatusStr = Literal[tuple(EventStatus.values)]
    MoveStr = Literal["open", "held", "closed"]

MOVES = {"open": services.event_open, "held": services.event_hold, "closed": services.event_close}


class ExchangeEventOut(Schema):
    code: CodeStr
    kind: str
    title: str
    organiser: str
    organiser_code: CodeStr
    held_on: datetime.date
    place: str
    status: str
    capacity: int | None
    registered: int
    registration_closes_on: datetime.date | None
    host_code: CodeStr | None
    guest_code: CodeStr | None


class ExchangeRegistrationOut(Schema):
    collective_code: CodeStr
    collective: str
    status: str
    people: int
    attended: bool | None


class ExchangeScoreIO(Schema):
    item: Line = Field(max_length=40)
    points: int = Field(ge=min(POINTS), le=max(POINTS))
    comment: Text = Field(default="", max_length=500)


class ExchangeAppraisalOut(Schema):
    by_collective_code: CodeStr
    of_collective_code: CodeStr
    scores: list[ExchangeScoreIO]
    submitted_at: datetime.datetime


class ExchangeEventDetailOut(ExchangeEventOut):
    description: str
    minutes: str
    photos: int
    invited_bodies: list[CodeStr]
    invited_collectives: list[CodeStr]
    registrations: list[ExchangeRegistrationOut]
    appraisals: list[ExchangeAppraisalOut]


class ExchangeEventQuery(PageQuery):
    kind: KindStr | None = None
    status: StatusStr | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    q: Line | None = Field(default=None, max_length=50)


class ExchangeEventIn(Schema):
    kind: KindStr
    title: Line = Field(max_length=200)
    organiser: CodeStr
    held_on: datetime.date
    place: Line = Field(max_length=200)
    description: Text = Field(default="", max_length=5000)
    capacity: int | None = Field(default=None, ge=1, le=10000)
    registration_closes_on: datetime.date | None = None
    invited_bodies: list[CodeStr] = Field(default_factory=list, max_length=500)
    invited_collectives: list[CodeStr] = Field(default_factory=list, max_length=500)
    host: CodeStr | None = None
    guest: CodeStr | None = None


class ExchangeMoveIn(Schema):
    to: MoveStr


class ExchangeCancelIn(Schema):
    reason: Line = Field(max_length=300)


class ExchangeRegisterIn(Schema):
    collective: CodeStr
    people: int = Field(default=1, ge=1, le=services.MAX_PEOPLE)


class ExchangeAttendanceIn(Schema):
    attended: list[CodeStr] = Field(max_length=10000)


class ExchangeMinutesIn(Schema):
    minutes: Text = Field(max_length=20000)


class ExchangeAppraisalIn(Schema):
    by_collective: CodeStr
    scores: list[ExchangeScoreIO] = Field(max_length=50)


class ExchangeAppraisalItemOut(Schema):
    key: str
    label: str
    hint: str


def _event_out(e: Event) -> dict[str, Any]:
    return {
        "code": e.code,
        "kind": e.kind,
        "title": e.title,
        "organiser": e.organiser.name,
        "organiser_code": e.organiser.code,
        "held_on": e.held_on,
        "place": e.place,
        "status": e.status,
        "capacity": e.capacity,
        "registered": e.registered_count,
        "registration_closes_on": e.registration_closes_on,
        "host_code": e.host.code if e.host else None,
        "guest_code": e.guest.code if e.guest else None,
    }


def _registration_out(r: Registration) -> dict[str, Any]:
    return {
        "collective_code": r.collective.code,
        "collective": r.collective.name,
        "status": r.status,
        "people": r.people,
        "attended": r.attended,
    }


def _appraisal_out(a: Appraisal) -> dict[str, Any]:
    return {
        "by_collective_code": a.by_collective.code,
        "of_collective_code": a.of_collective.code,
        "scores": a.scores,
        "submitted_at": a.submitted_at,
    }


def _detail_out(e: Event) -> dict[str, Any]:
    invitations = sel.invitations_of(e)
    return {
        **_event_out(e),
        "description": e.description,
        "minutes": e.minutes,
        "photos": e.photos.count(),
        "invited_bodies": [i.body.code for i in invitations if i.body],
        "invited_collectives": [i.collective.code for i in invitations if i.collective],
        "registrations": [_registration_out(r) for r in sel.registrations_of(e)],
        "appraisals": [
            _appraisal_out(a) for a in e.appraisals.select_related("by_collective", "of_collective")
        ],
    }


def _reader(request: HttpRequest) -> Any:
    actor = api_actor(request)
    require(actor, "exchange.view_list")
    return actor


def _event(actor: Any, code: str) -> Event:
    return sel.event_detail(actor, code)


@router.get("/events", response={200: Page[ExchangeEventOut], **errors(403)})
def list_events(request: HttpRequest, query: Query[ExchangeEventQuery]) -> Any:
    """Events you may see, newest first, with the page's filters."""
    actor = _reader(request)
    filters = sel.EventFilters(
        kind=query.kind or "", status=query.status or "", year=query.year, text=query.q or ""
    )
    page = page_of(sel.event_list(actor, filters), query)
    page["results"] = [_event_out(e) for e in page["results"]]
    return page


@router.post("/events", response={201: ExchangeEventDetailOut, **errors(400, 403, 404)})
def create_event(request: HttpRequest, payload: ExchangeEventIn) -> Status:
    """A draft event (``organiser``: the city's or a body's code you administer). A mutual
    visit names ``host`` (in your reach) and ``guest``; the others invite bodies or
    collectives."""
    actor = api_actor(request)
    require(actor, "exchange.organise", None)
    organiser = get_object_or_404(Organisation, code=payload.organiser)
    visible = collectives_visible_to(actor)
    event = services.event_create(
        actor,
        kind=payload.kind,
        title=payload.title,
        organiser=organiser,
        held_on=payload.held_on,
        place=payload.place,
        description=payload.description,
        capacity=payload.capacity,
        registration_closes_on=payload.registration_closes_on,
        invited_bodies=list(Organisation.objects.bodies().filter(code__in=payload.invited_bodies)),
        invited_collectives=list(visible.filter(code__in=payload.invited_collectives)),
        host=get_object_or_404(visible, code=payload.host) if payload.host else None,
        guest=get_object_or_404(Collective, code=payload.guest) if payload.guest else None,
    )
    return Status(201, _detail_out(_event(actor, event.code)))


@router.get("/events/{code}", response={200: ExchangeEventDetailOut, **errors(403, 404)})
def get_event(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = _reader(request)
    return _detail_out(_event(actor, code))


@router.post("/events/{code}/move", response={200: ExchangeEventDetailOut, **errors(400, 403, 404)})
def move_event(request: HttpRequest, code: CodeStr, payload: ExchangeMoveIn) -> dict[str, Any]:
    """Open registration, mark held, or close (closing records the attended in their logs)."""
    actor = _reader(request)
    MOVES[payload.to](actor, _event(actor, code))
    return _detail_out(_event(actor, code))


@router.post(
    "/events/{code}/cancel", response={200: ExchangeEventDetailOut, **errors(400, 403, 404)}
)
def cancel_event(request: HttpRequest, code: CodeStr, payload: ExchangeCancelIn) -> dict[str, Any]:
    actor = _reader(request)
    services.event_cancel(actor, _event(actor, code), reason=payload.reason)
    return _detail_out(_event(actor, code))


@router.post(
    "/events/{code}/registrations", response={201: ExchangeRegistrationOut, **errors(400, 403, 404)}
)
def register(request: HttpRequest, code: CodeStr, payload: ExchangeRegisterIn) -> Status:
    """Register a collective you speak for; past the limit: 400, nothing changed."""
    actor = _reader(request)
    event = _event(actor, code)
    require(actor, "exchange.register", event)
    collective = get_object_or_404(collectives_visible_to(actor), code=payload.collective)
    r = services.register(actor, event, collective=collective, people=payload.people)
    return Status(201, _registration_out(r))


@router.post(
    "/events/{code}/registrations/{collective_code}/withdraw",
    response={200: ExchangeRegistrationOut, **errors(400, 403, 404)},
)
def withdraw(request: HttpRequest, code: CodeStr, collective_code: CodeStr) -> dict[str, Any]:
    actor = _reader(request)
    event = _event(actor, code)
    r = get_object_or_404(
        Registration.objects.select_related("collective", "event"),
        event=event,
        collective__code=collective_code,
        status=RegistrationStatus.REGISTERED,
    )
    return _registration_out(services.withdraw(actor, r))


@router.post(
    "/events/{code}/attendance", response={200: ExchangeEventDetailOut, **errors(400, 403, 404)}
)
def attendance(
    request: HttpRequest, code: CodeStr, payload: ExchangeAttendanceIn
) -> dict[str, Any]:
    """The registered collectives that came (codes); the others are marked absent."""
    actor = _reader(request)
    event = _event(actor, code)
    require(actor, "exchange.manage", event)
    ids = event.registrations.filter(collective__code__in=payload.attended).values_list(
        "collective_id", flat=True
    )
    if len(set(payload.attended)) != len(ids):
        from django.utils.translation import gettext as _

        from qnwmh.core.errors import DomainError

        raise DomainError(_("出席集体须是已报名的集体。"), field="attended")
    services.record_attendance(actor, event, attended=list(ids))
    return _detail_out(_event(actor, code))


@router.post(
    "/events/{code}/minutes", response={200: ExchangeEventDetailOut, **errors(400, 403, 404)}
)
def minutes(request: HttpRequest, code: CodeStr, payload: ExchangeMinutesIn) -> dict[str, Any]:
    actor = _reader(request)
    services.record_minutes(actor, _event(actor, code), minutes=payload.minutes)
    return _detail_out(_event(actor, code))


@router.post(
    "/events/{code}/appraisals", response={201: ExchangeAppraisalOut, **errors(400, 403, 404)}
)
def appraise(request: HttpRequest, code: CodeStr, payload: ExchangeAppraisalIn) -> Status:
    """One side's appraisal of the other: every item of ``/appraisal-items`` scored 1–5."""
    actor = _reader(request)
    event = _event(actor, code)
    require(actor, "exchange.appraise", event)
    side = get_object_or_404(collectives_visible_to(actor), code=payload.by_collective)
    a = services.appraise(
        actor,
        event,
        by_collective=side,
        scores={s.item: (s.points, s.comment) for s in payload.scores},
    )
    return Status(201, _appraisal_out(a))


@router.get("/appraisal-items", response={200: list[ExchangeAppraisalItemOut], **errors(403)})
def appraisal_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The mutual-visit appraisal form, in order."""
    _reader(request)
    return [{"key": i.key, "label": i.label, "hint": i.hint} for i in sel.appraisal_items()]
