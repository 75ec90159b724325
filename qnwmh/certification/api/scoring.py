"""Certification API: scoring. The reviewer's own sheets (read, save a draft, submit), a
chair's reopen, a round's aggregated results and its defence sessions, through the same
selectors and services as the pages. A sheet's rubric errors answer 400 with one entry per
field in ``errors``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.certification.models import Assignment, ScoreSet, ScoreSheet
from qnwmh.certification.selectors import scoring as sel
from qnwmh.certification.services import scoring as services
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
from qnwmh.programme.models import Dimension

router = Router(tags=["certification"])

if TYPE_CHECKING:
    ScoreSetStr = str
    DimensionStr = str
else:
    ScoreSetStr = Literal[tuple(ScoreSet.values)]
    DimensionStr = Literal[tuple(Dimension.values)]


class CriterionIn(Schema):
    points: Line = Field("", max_length=8)
    comment: Text = Field("", max_length=1000)


class SheetIn(Schema):
    scores: dict[DimensionStr, CriterionIn]


class CriterionOut(Schema):
    points: str
    comment: str


class PeerOut(Schema):
    reviewer: str
    scores: dict[str, CriterionOut]
    total: Decimal | None


class SheetOut(Schema):
    code: str | None
    assignment: str
    application: str
    collective: str
    score_set: str
    status: str
    scores: dict[str, CriterionOut]
    total: Decimal | None
    paper: bool
    submitted_at: datetime.datetime | None
    reopen_reason: str
    # None until the reviewer's own sheet of this set is submitted.
    peers: list[PeerOut] | None


class ScoringAssignmentOut(Schema):
    code: str
    application: str
    collective: str
    town: str
    due_on: datetime.date
    status: str
    sheets: dict[str, str]


def _sheet_out(assignment: Assignment, sheet: ScoreSheet, *, peers: bool) -> dict[str, Any]:
    others = sel.peer_sheets(assignment, sheet.score_set) if peers else None
    return {
        "code": sheet.code if sheet.pk else None,
        "assignment": assignment.code,
        "application": assignment.application.code,
        "collective": assignment.application.collective.name,
        "score_set": sheet.score_set,
        "status": sheet.status,
        "scores": sheet.scores or {},
        "total": sheet.total,
        "paper": sheet.paper,
        "submitted_at": sheet.submitted_at,
        "reopen_reason": sheet.reopen_reason,
        "peers": None
        if others is None
        else [{"reviewer": str(p.reviewer), "scores": p.scores, "total": p.total} for p in others],
    }


@router.get("/scoring/assignments", response={200: list[ScoringAssignmentOut], **errors()})
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "application": a.application.code,
            "collective": a.application.collective.name,
            "town": a.application.town.name,
            "due_on": a.due_on,
            "status": a.status,
            "sheets": {s.score_set: s.status for s in a.sheets.all()},
        }
        for a in sel.my_assignments(api_actor(request))
    ]


@router.get(
    "/scoring/assignments/{code}/sheets/{score_set}",
    response={200: SheetOut, **errors(403, 404)},
)
def get_sheet(request: HttpRequest, code: CodeStr, score_set: ScoreSetStr) -> dict[str, Any]:
    actor = api_actor(request)
    assignment = sel.my_assignment(actor, code)
    require(actor, "certification.score", assignment)
    return _sheet_out(assignment, services.sheet_of(assignment, score_set), peers=True)


def _save(request: HttpRequest, code: str, score_set: str, body: SheetIn, *, submit: bool) -> Any:
    actor = api_actor(request)
    assignment = sel.my_assignment(actor, code)
    raw = {dim: row.dict() for dim, row in body.scores.items()}
    try:
        sheet = services.save_sheet(
            actor, assignment=assignment, score_set=score_set, scores=raw, submit=submit
        )
    except services.ScoreProblems as exc:
        return Status(
            400,
            {
                "detail": str(exc),
                "errors": [{"loc": [name], "msg": msg} for name, msg in exc.fields.items()],
            },
        )
    return _sheet_out(assignment, sheet, peers=True)


@router.put(
    "/scoring/assignments/{code}/sheets/{score_set}",
    response={200: SheetOut, **errors(400, 403, 404)},
)
def save_sheet(request: HttpRequest, code: CodeStr, score_set: ScoreSetStr, body: SheetIn) -> Any:
    return _save(request, code, score_set, body, submit=False)


@router.post(
    "/scoring/assignments/{code}/sheets/{score_set}/submit",
    response={200: SheetOut, **errors(400, 403, 404)},
)
def submit_sheet(request: HttpRequest, code: CodeStr, score_set: ScoreSetStr, body: SheetIn) -> Any:
    return _save(request, code, score_set, body, submit=True)


class ReopenIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=500)


class ReopenedOut(Schema):
    code: str
    status: str
    reopen_reason: str


@router.post("/scoring/sheets/{code}/reopen", response={200: ReopenedOut, **errors(400, 403, 404)})
def reopen_sheet(request: HttpRequest, code: CodeStr, body: ReopenIn) -> dict[str, Any]:
    actor = api_actor(request)
    sheet = services.reopen_sheet(
        actor, sheet=sel.reopenable_sheet(actor, code), reason=body.reason
    )
    return {"code": sheet.code, "status": sheet.status, "reopen_reason": sheet.reopen_reason}


class ResultOut(Schema):
    application: str
    collective: str
    body: str
    town: str
    area: str | None
    # Null for body admins until scoring closes (and for an application not yet scored).
    site_score: Decimal | None
    defence_score: Decimal | None
    combined: Decimal | None
    site_sheets: int | None
    defence_sheets: int | None
    spread: Decimal | None
    divergent: bool | None


def _result_out(app: Any, shown: bool) -> dict[str, Any]:
    res = getattr(app, "result", None) if shown else None
    fields = ("site_score", "defence_score", "combined", "site_sheets", "defence_sheets")
    return {
        "application": app.code,
        "collective": app.collective.name,
        "body": app.body.name,
        "town": app.town.name,
        "area": app.area.name if app.area else None,
        **{f: getattr(res, f) if res else None for f in (*fields, "spread", "divergent")},
    }


class ResultQuery(PageQuery):
    divergent: bool = False


@router.get(
    "/scoring/rounds/{code}/results",
    response={200: Page[ResultOut], **errors(403, 404)},
)
def round_results(request: HttpRequest, code: CodeStr, q: Query[ResultQuery]) -> dict[str, Any]:
    actor = api_actor(request)
    r = sel.round_of(actor, code)
    if not can(actor, "certification.view_scores"):
        raise PermissionDenied
    shown = sel.totals_shown(actor, r)
    rows = sel.score_rows(actor, r, sel.ScoreFilters(divergent=q.divergent))
    page = page_of(rows, q)
    page["results"] = [_result_out(app, shown) for app in page["results"]]
    return page


class SlotOut(Schema):
    order: int | None
    application: str
    collective: str


class SessionOut(Schema):
    code: str
    area: str
    starts_at: datetime.datetime
    venue: str
    seed: int | None
    drawn_at: datetime.datetime | None
    slots: list[SlotOut]


@router.get(
    "/scoring/rounds/{code}/defence-sessions",
    response={200: list[SessionOut], **errors(403, 404)},
)
def defence_sessions(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    actor = api_actor(request)
    r = sel.round_of(actor, code)
    if not can(actor, "certification.manage_defence"):
        raise PermissionDenied
    sessions = sel.sessions_of(r).prefetch_related("slots__application__collective")
    return [
        {
            "code": s.code,
            "area": s.panel.area.name,
            "starts_at": s.starts_at,
            "venue": s.venue,
            "seed": s.seed,
            "drawn_at": s.drawn_at,
            "slots": [
                {
                    "order": slot.order,
                    "application": slot.application.code,
                    "collective": slot.application.collective.name,
                }
                for slot in sorted(s.slots.all(), key=lambda x: (x.order or 0, x.id))
            ],
        }
        for s in sessions
    ]
