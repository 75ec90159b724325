"""Oversight API of the sanctions part (``/api/v1/oversight/...``), through the same selectors
and services as the pages: sanctions (list, read, propose, impose, confirm, withdraw),
rectification orders (list, read, order, report, verify) and a title's history. Evidence files
are uploaded on the pages; the API carries the facts."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.core.actor import Actor
from qnwmh.core.apischema import (
    CodeStr,
    IdInt,
    Line,
    Page,
    PageQuery,
    Text,
    api_actor,
    errors,
    page_of,
)
from qnwmh.core.permissions import require
from qnwmh.oversight.models import (
    Basis,
    Rectification,
    RectificationStatus,
    RevocationCategory,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from qnwmh.oversight.selectors import sanctions as sel
from qnwmh.oversight.selectors.standing import standing_of
from qnwmh.oversight.services import rectification as rectifications
from qnwmh.oversight.services import sanctions as services

router = Router(tags=["oversight"])

RefStr = Annotated[str, Field(pattern=r"^[0-9A-Z]{0,16}$")]

if TYPE_CHECKING:
    KindStr = str
    BasisStr = str
    StatusStr = str
    CategoryStr = str
    RStatusStr = str
    RStateStr = str
else:
    KindStr = Literal[tuple(SanctionKind.values)]
    BasisStr = Literal[tuple(Basis.values)]
    StatusStr = Literal[tuple(SanctionStatus.values)]
    CategoryStr = Literal[("", *RevocationCategory.values)]
    RStatusStr = Literal[tuple(RectificationStatus.values)]
    RStateStr = Literal[sel.RECTIFICATION_STATES]


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


# Sanctions --------------------------------------------------------------------------------------


class SanctionOut(Schema):
    code: str
    title_code: str
    collective_code: str
    collective: str
    body: str
    kind: str
    status: str
    basis: str
    category: str
    reason: str
    basis_note: str
    case_code: str | None
    visit_code: str | None
    complaint_code: str | None
    rectification_code: str | None
    stars_before: int | None
    stars_after: int | None
    proposed_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str


class SanctionFiltersIn(Schema):
    kind: KindStr | None = None
    status: StatusStr | None = None
    basis: BasisStr | None = None
    body: IdInt | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)


class SanctionIn(Schema):
    title_code: CodeStr
    kind: KindStr
    basis: BasisStr
    reason: Text = Field(max_length=3000)
    category: CategoryStr = ""
    reference: RefStr = ""
    basis_note: Line = Field(default="", max_length=300)


class NoteIn(Schema):
    note: Text = Field(default="", max_length=2000)


def _sanction_out(s: Sanction) -> dict[str, Any]:
    return {
        "code": s.code,
        "title_code": s.title.code,
        "collective_code": s.collective.code,
        "collective": s.collective.name,
        "body": s.collective.body.name,
        "kind": s.kind,
        "status": s.status,
        "basis": s.basis,
        "category": s.category,
        "reason": s.reason,
        "basis_note": s.basis_note,
        "case_code": _code(s.case),
        "visit_code": _code(s.visit),
        "complaint_code": _code(s.complaint),
        "rectification_code": _code(s.rectification),
        "stars_before": s.stars_before,
        "stars_after": s.stars_after,
        "proposed_at": s.proposed_at,
        "decided_at": s.decided_at,
        "decision_note": s.decision_note,
    }


def _staff(request: HttpRequest) -> Actor:
    actor = api_actor(request)
    require(actor, "oversight.view")
    return actor


@router.get("/sanctions", response={200: Page[SanctionOut], **errors(403)})
def list_sanctions(
    request: HttpRequest, filters: Query[SanctionFiltersIn], q: Query[PageQuery]
) -> dict[str, Any]:
    """The sanctions you may see (the city all, a body its subtree's), newest first."""
    actor = _staff(request)
    f = sel.SanctionFilters(
        kind=filters.kind or "",
        status=filters.status or "",
        basis=filters.basis or "",
        body=filters.body,
        year=filters.year,
    )
    qs = sel.sanction_list(actor, f).select_related("case", "visit", "complaint", "rectification")
    page = page_of(qs, q)
    page["results"] = [_sanction_out(s) for s in page["results"]]
    return page


def _new_sanction(request: HttpRequest, payload: SanctionIn, *, impose: bool) -> Status:
    actor = _staff(request)
    title = sel.title_detail(actor, payload.title_code)
    refs = sel.references(actor, title, payload.basis, payload.reference)
    act = services.impose if impose else services.propose
    s = act(
        actor,
        title=title,
        kind=payload.kind,
        basis=payload.basis,
        reason=payload.reason,
        category=payload.category,
        basis_note=payload.basis_note,
        **refs,
    )
    return Status(201, _sanction_out(sel.sanction_detail(actor, s.code)))


@router.post("/sanctions/propose", response={201: SanctionOut, **errors(400, 403, 404)})
def propose_sanction(request: HttpRequest, payload: SanctionIn) -> Status:
    """A body's proposal (the city confirms it); the ladder decides which kind may come next."""
    return _new_sanction(request, payload, impose=False)


@router.post("/sanctions/impose", response={201: SanctionOut, **errors(400, 403, 404)})
def impose_sanction(request: HttpRequest, payload: SanctionIn) -> Status:
    """The city's sanction, applied at once (a star down lowers the stars, a revocation ends
    the title)."""
    return _new_sanction(request, payload, impose=True)


# After the fixed paths: Django matches /sanctions/propose against {code} otherwise.
@router.get("/sanctions/{code}", response={200: SanctionOut, **errors(403, 404)})
def get_sanction(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _sanction_out(sel.sanction_detail(_staff(request), code))


@router.post("/sanctions/{code}/confirm", response={200: SanctionOut, **errors(400, 403, 404)})
def confirm_sanction(request: HttpRequest, code: CodeStr, payload: NoteIn) -> dict[str, Any]:
    actor = _staff(request)
    s = services.confirm(actor, sel.sanction_detail(actor, code), note=payload.note)
    return _sanction_out(sel.sanction_detail(actor, s.code))


@router.post("/sanctions/{code}/withdraw", response={200: SanctionOut, **errors(400, 403, 404)})
def withdraw_sanction(request: HttpRequest, code: CodeStr, payload: NoteIn) -> dict[str, Any]:
    actor = _staff(request)
    s = services.withdraw(actor, sel.sanction_detail(actor, code), note=payload.note)
    return _sanction_out(sel.sanction_detail(actor, s.code))


# Rectification ----------------------------------------------------------------------------------


class RectificationOut(Schema):
    code: str
    title_code: str
    collective_code: str
    collective: str
    body: str
    basis: str
    requirements: str
    due_on: datetime.date
    status: str
    overdue: bool
    late: bool
    report: str
    reported_at: datetime.datetime | None
    verification_note: str
    verified_at: datetime.datetime | None
    sanction_code: str | None


class RectificationFiltersIn(Schema):
    status: RStatusStr | None = None
    state: RStateStr | None = None
    body: IdInt | None = None


class OrderIn(Schema):
    title_code: CodeStr
    basis: BasisStr
    requirements: Text = Field(max_length=3000)
    due_on: datetime.date | None = None
    reference: RefStr = ""
    sanction_code: RefStr = ""


class ReportIn(Schema):
    text: Text = Field(max_length=3000)


class VerifyIn(Schema):
    passed: bool
    note: Text = Field(default="", max_length=2000)


def _rectification_out(r: Rectification) -> dict[str, Any]:
    return {
        "code": r.code,
        "title_code": r.title.code,
        "collective_code": r.collective.code,
        "collective": r.collective.name,
        "body": r.collective.body.name,
        "basis": r.basis,
        "requirements": r.requirements,
        "due_on": r.due_on,
        "status": r.status,
        "overdue": r.overdue(),
        "late": r.late,
        "report": r.report,
        "reported_at": r.reported_at,
        "verification_note": r.verification_note,
        "verified_at": r.verified_at,
        "sanction_code": _code(r.sanction),
    }


def _follower(request: HttpRequest) -> Actor:
    actor = api_actor(request)
    require(actor, "oversight.follow_up")
    return actor


@router.get("/rectifications", response={200: Page[RectificationOut], **errors(403)})
def list_rectifications(
    request: HttpRequest, filters: Query[RectificationFiltersIn], q: Query[PageQuery]
) -> dict[str, Any]:
    """Rectification orders you may see (a collective's managers their own), newest first."""
    actor = _follower(request)
    f = sel.RectificationFilters(
        status=filters.status or "", state=filters.state or "", body=filters.body
    )
    page = page_of(sel.rectification_list(actor, f).select_related("sanction"), q)
    page["results"] = [_rectification_out(r) for r in page["results"]]
    return page


@router.get("/rectifications/{code}", response={200: RectificationOut, **errors(403, 404)})
def get_rectification(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _rectification_out(sel.rectification_detail(_follower(request), code))


@router.post("/rectifications", response={201: RectificationOut, **errors(400, 403, 404)})
def order_rectification(request: HttpRequest, payload: OrderIn) -> Status:
    """Order a rectification (the city, or the bodies over the collective); the deadline
    defaults to the programme's rectification period."""
    actor = _staff(request)
    title = sel.title_detail(actor, payload.title_code)
    refs = sel.references(actor, title, payload.basis, payload.reference)
    sanction = None
    if payload.sanction_code:
        sanction = sel.sanction_detail(actor, payload.sanction_code)
    r = rectifications.order(
        actor,
        title=title,
        basis=payload.basis,
        requirements=payload.requirements,
        due_on=payload.due_on,
        sanction=sanction,
        **refs,
    )
    return Status(201, _rectification_out(sel.rectification_detail(actor, r.code)))


@router.post(
    "/rectifications/{code}/report", response={200: RectificationOut, **errors(400, 403, 404)}
)
def report_rectification(request: HttpRequest, code: CodeStr, payload: ReportIn) -> dict[str, Any]:
    """The collective's report (its managers'); after the deadline it is marked late."""
    actor = _follower(request)
    r = rectifications.report(actor, sel.rectification_detail(actor, code), text=payload.text)
    return _rectification_out(sel.rectification_detail(actor, r.code))


@router.post(
    "/rectifications/{code}/verify", response={200: RectificationOut, **errors(400, 403, 404)}
)
def verify_rectification(request: HttpRequest, code: CodeStr, payload: VerifyIn) -> dict[str, Any]:
    """The body's check; a fail proposes revocation to the city."""
    actor = _follower(request)
    r = rectifications.verify(
        actor, sel.rectification_detail(actor, code), passed=payload.passed, note=payload.note
    )
    return _rectification_out(sel.rectification_detail(actor, r.code))


# A title's history ------------------------------------------------------------------------------


class EventOut(Schema):
    at: datetime.datetime
    kind: str
    text: str
    status: str


class TitleHistoryOut(Schema):
    title_code: str
    collective_code: str
    collective: str
    level: str
    stars: int
    status: str
    standing: str
    standing_label: str
    since: datetime.date | None
    events: list[EventOut]


@router.get("/titles/{code}/history", response={200: TitleHistoryOut, **errors(403, 404)})
def title_history(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """What oversight did to a title, oldest first (a collective's managers see no covert visit
    before it is closed and no unsettled proposal)."""
    actor = _follower(request)
    title = sel.title_detail(actor, code)
    require(actor, "oversight.view_title", title.collective)
    standing = standing_of(title)
    return {
        "title_code": title.code,
        "collective_code": title.collective.code,
        "collective": title.collective.name,
        "level": title.level,
        "stars": title.stars,
        "status": title.status,
        "standing": standing.standing,
        "standing_label": standing.label,
        "since": standing.since,
        "events": [
            {"at": e.at, "kind": str(e.kind), "text": e.text, "status": str(e.status)}
            for e in sel.history(actor, title)
        ],
    }
