"""REST endpoints of training (``/api/v1/training/...``), calling the same selectors and
services as the pages: sessions (list, read, attendance; set, cancel, remind, invite the newly
due), check-in with the QR code's token, and coverage per body."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.core.apischema import (
    CodeStr,
    Line,
    Page,
    PageQuery,
    Text,
    api_actor,
    errors,
    page_of,
)
from qnwmh.core.permissions import can, require
from qnwmh.training import selectors as sel
from qnwmh.training import services
from qnwmh.training.models import Invitation, Session, SessionStatus

router = Router(tags=["training"])

TokenStr = Annotated[str, Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")]

if TYPE_CHECKING:
    SessionStatusStr = str
else:
    SessionStatusStr = Literal[tuple(SessionStatus.values)]


class TrainingSessionOut(Schema):
    code: CodeStr
    title: str
    topic: str
    place: str
    organiser: str
    cycle: CodeStr
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str
    exam: CodeStr | None
    invited: int
    checked_in: int


class TrainingInvitationOut(Schema):
    id: int
    collective_code: CodeStr
    collective: str
    body: str
    leader: str
    checked_in_at: datetime.datetime | None
    passed: bool


class TrainingSessionQuery(PageQuery):
    cycle: CodeStr | None = None
    status: SessionStatusStr | None = None


class TrainingSessionIn(Schema):
    organiser: CodeStr = Field(description="代码：组织轮训的团委（团市委或基层团委）")
    cycle: CodeStr
    title: Annotated[Line, Field(min_length=1, max_length=100)]
    place: Annotated[Line, Field(min_length=1, max_length=100)]
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    topic: Annotated[Text, Field(max_length=200)] = ""


class TrainingNotifiedOut(Schema):
    notified: int


class TrainingCheckInIn(Schema):
    collective: CodeStr | None = None


class TrainingCoverageRowOut(Schema):
    body: str
    required: int
    trained: int
    share: float


class TrainingCoverageOut(Schema):
    cycle: CodeStr
    rows: list[TrainingCoverageRowOut]
    required: int
    trained: int


def _session_out(s: Session, counts: tuple[int, int]) -> dict[str, Any]:
    return {
        "code": s.code,
        "title": s.title,
        "topic": s.topic,
        "place": s.place,
        "organiser": s.organiser.name,
        "cycle": s.cycle.code,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "status": s.status,
        "exam": s.exam.code if s.exam else None,
        "invited": counts[0],
        "checked_in": counts[1],
    }


def _invitation_out(i: Invitation) -> dict[str, Any]:
    return {
        "id": i.pk,
        "collective_code": i.collective.code,
        "collective": i.collective.name,
        "body": i.body.name,
        "leader": i.leader_name,
        "checked_in_at": i.checked_in_at,
        "passed": bool(getattr(i, "passed", False)),
    }


def _reader(request: HttpRequest) -> Any:
    actor = api_actor(request)
    require(actor, "training.view")
    return actor


@router.get("/sessions", response={200: Page[TrainingSessionOut], **errors(403)})
def list_sessions(request: HttpRequest, query: Query[TrainingSessionQuery]) -> Any:
    """Sessions you organise or are invited to, newest first."""
    actor = _reader(request)
    filters = sel.SessionFilters(cycle=query.cycle or "", status=query.status or "")
    page = page_of(sel.session_list(actor, filters).select_related("exam"), query)
    counts = sel.attendance_counts([s.pk for s in page["results"]])
    page["results"] = [_session_out(s, counts.get(s.pk, (0, 0))) for s in page["results"]]
    return page


@router.get("/sessions/{code}", response={200: TrainingSessionOut, **errors(403, 404)})
def get_session(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = _reader(request)
    s = sel.session_detail(actor, code)
    return _session_out(s, sel.attendance_counts([s.pk]).get(s.pk, (0, 0)))


@router.get(
    "/sessions/{code}/invitations",
    response={200: Page[TrainingInvitationOut], **errors(403, 404)},
)
def list_invitations(request: HttpRequest, code: CodeStr, query: Query[PageQuery]) -> Any:
    """The leaders invited: all for the organisers, your own bodies' or collectives' else."""
    actor = _reader(request)
    s = sel.session_detail(actor, code)
    qs = sel.with_completion(
        sel.invitations_of(actor, s, everyone=can(actor, "training.manage", s))
    )
    page = page_of(qs, query)
    page["results"] = [_invitation_out(i) for i in page["results"]]
    return page


@router.post("/sessions", response={201: TrainingSessionOut, **errors(400, 403, 404)})
def create_session(request: HttpRequest, payload: TrainingSessionIn) -> Status:
    """Set a session: its test, and an invitation for every required leader in the
    organiser's scope not yet trained this cycle (their managers are told)."""
    from qnwmh.cycles.models import Cycle
    from qnwmh.orgs.models import Organisation

    actor = _reader(request)
    s = services.session_create(
        actor,
        organiser=get_object_or_404(Organisation, code=payload.organiser),
        cycle=get_object_or_404(Cycle, code=payload.cycle),
        title=payload.title.strip(),
        place=payload.place.strip(),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        topic=payload.topic.strip(),
    )
    s = sel.session_detail(actor, s.code)
    return Status(201, _session_out(s, sel.attendance_counts([s.pk]).get(s.pk, (0, 0))))


@router.post("/sessions/{code}/cancel", response={200: TrainingSessionOut, **errors(400, 403, 404)})
def cancel_session(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """Cancel a session not yet started and without check-ins; the invited are told."""
    actor = _reader(request)
    services.cancel(actor, session=sel.session_detail(actor, code))
    s = sel.session_detail(actor, code)
    return _session_out(s, sel.attendance_counts([s.pk]).get(s.pk, (0, 0)))


@router.post("/sessions/{code}/remind", response={200: TrainingNotifiedOut, **errors(403, 404)})
def remind_session(request: HttpRequest, code: CodeStr) -> dict[str, int]:
    """Remind the managers of every invited collective whose leader has not checked in."""
    actor = _reader(request)
    return {"notified": services.remind(actor, session=sel.session_detail(actor, code))}


@router.post(
    "/sessions/{code}/invite-more", response={200: TrainingNotifiedOut, **errors(400, 403, 404)}
)
def invite_more(request: HttpRequest, code: CodeStr) -> dict[str, int]:
    """Invite the leaders who became due since the session was set."""
    actor = _reader(request)
    return {"notified": services.invite_more(actor, session=sel.session_detail(actor, code))}


@router.post("/checkin/{token}", response={200: TrainingInvitationOut, **errors(400, 403, 404)})
def check_in(request: HttpRequest, token: TokenStr, payload: TrainingCheckInIn) -> Any:
    """Check in your collective's leader with the token of the session's QR code (only in
    the session's window, once)."""
    actor = api_actor(request)
    s = sel.session_by_token(actor, token)
    collective_id = None
    if payload.collective:
        from qnwmh.collectives.models import Collective

        collective_id = (
            Collective.objects.filter(code=payload.collective).values_list("id", flat=True).first()
        ) or 0
    invitation = services.check_in(actor, session=s, collective_id=collective_id)
    return _invitation_out(sel.with_completion(Invitation.objects.filter(pk=invitation.pk)).get())


@router.get("/coverage", response={200: TrainingCoverageOut, **errors(403, 404)})
def get_coverage(request: HttpRequest, cycle: CodeStr | None = None) -> Any:
    """Leaders required and trained per body in your scope for a cycle (default the newest with a session)."""
    from django.http import Http404

    actor = api_actor(request)
    require(actor, "training.coverage")
    cycles = sel.cycles_for_coverage()
    found = cycles.filter(code=cycle).first() if cycle else sel.default_coverage_cycle()
    if found is None:
        raise Http404
    rows = sel.coverage(actor, found)
    total = sel.coverage_total(rows)
    return {
        "cycle": found.code,
        "rows": [
            {"body": r.body, "required": r.required, "trained": r.trained, "share": float(r.share)}
            for r in rows
        ],
        "required": total.required,
        "trained": total.trained,
    }
