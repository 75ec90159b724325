"""Certification API: reviewers. City staff read the areas, the pool, panels, draws,
assignments and declared conflicts, and run a draw; a reviewer lists their assignments,
accepts or declines an invitation and declares a conflict — the same selectors and services
as the pages (``/api/v1/certification/...``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from qnwmh.certification.models import (
    Application,
    Assignment,
    AssignmentDraw,
    CertificationRound,
    ConflictDeclaration,
    Panel,
    ReviewArea,
    Reviewer,
)
from qnwmh.certification.selectors import reviewer_of
from qnwmh.certification.selectors import reviewers as sel
from qnwmh.certification.services import assignment as assigning
from qnwmh.certification.services import reviewers as pool
from qnwmh.core.actor import Actor
from qnwmh.core.apischema import CodeStr, Text, api_actor, errors
from qnwmh.core.permissions import can, require

router = Router(tags=["certification"])

MANAGE = "certification.manage_reviewers"
# A pool or an area's assignments are hundreds of rows, not more: one page.
MAX_ROWS = 2000


class AreaOut(Schema):
    code: str
    name: str
    towns: list[str]
    active: bool


class ReviewerOut(Schema):
    code: str
    name: str
    expertise: str
    employer: str
    body: str | None
    areas: list[str]
    active: bool


class PanelOut(Schema):
    area: str
    area_name: str
    chair: str | None
    secretary: str | None
    members: list[str]


class DrawOut(Schema):
    id: int
    area: str | None
    seed: int
    per_application: int
    applications: int
    assignments: int
    loads: dict[str, int]
    # The largest difference between two reviewers' loads after the draw (1 or less when
    # balanced; more only when conflicts or declines left no balanced assignment).
    spread: int
    created_at: datetime.datetime


class DrawIn(Schema):
    area: CodeStr
    seed: int | None = Field(default=None, ge=0, le=2**62)


class AssignmentOut(Schema):
    code: str
    application: str
    collective: str
    reviewer: str
    status: str
    due_on: datetime.date
    drawn: bool
    decline_reason: str


class ReviewerReasonIn(Schema):
    reason: Text = Field(max_length=300)


class ConflictOut(Schema):
    reviewer: str
    collective: str
    reason: str
    declared_at: datetime.datetime


def _staff_round(request: HttpRequest, code: str) -> tuple[Actor, CertificationRound]:
    """The round (404 when there is none), then the city's permission (403)."""
    actor = api_actor(request)
    rnd = sel.round_detail(actor, code)
    require(actor, MANAGE)
    return actor, rnd


def _draw_out(d: AssignmentDraw) -> dict[str, Any]:
    summary = d.summary or {}
    return {
        "id": d.pk,
        "area": d.area.code if d.area else None,
        "seed": d.seed,
        "per_application": d.per_application,
        "applications": summary.get("applications", 0),
        "assignments": summary.get("assignments", 0),
        "loads": summary.get("loads", {}),
        "spread": summary.get("spread", 0),
        "created_at": d.created_at,
    }


def _assignment_out(a: Assignment) -> dict[str, Any]:
    return {
        "code": a.code,
        "application": a.application.code,
        "collective": a.application.collective.name,
        "reviewer": a.reviewer.code,
        "status": a.status,
        "due_on": a.due_on,
        "drawn": a.draw_id is not None,
        "decline_reason": a.decline_reason,
    }


# City staff -----------------------------------------------------------------------------------


@router.get("/areas", response={200: list[AreaOut], **errors()})
def list_areas(request: HttpRequest) -> list[dict[str, Any]]:
    """The review areas and their towns (which area a collective's application goes to)."""
    return [
        {
            "code": a.code,
            "name": a.name,
            "towns": [t.name for t in a.towns.all()],
            "active": a.active,
        }
        for a in ReviewArea.objects.prefetch_related("towns")
    ]


@router.get("/reviewers", response={200: list[ReviewerOut], **errors()})
def list_reviewers(request: HttpRequest) -> list[dict[str, Any]]:
    """The expert pool: city staff's (empty for anyone else, as any list out of scope)."""
    if not can(api_actor(request), MANAGE):
        return []
    qs = Reviewer.objects.select_related("user", "body").prefetch_related("areas")
    return [
        {
            "code": r.code,
            "name": str(r),
            "expertise": r.expertise,
            "employer": r.employer,
            "body": r.body.code if r.body else None,
            "areas": [a.code for a in r.areas.all()],
            "active": r.active,
        }
        for r in qs[:MAX_ROWS]
    ]


@router.get("/rounds/{code}/panels", response={200: list[PanelOut], **errors(403, 404)})
def list_panels(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    _actor, rnd = _staff_round(request, code)
    panels = (
        Panel.objects.filter(round=rnd)
        .select_related("area", "chair", "secretary")
        .prefetch_related("members")
    )
    return [
        {
            "area": p.area.code,
            "area_name": p.area.name,
            "chair": p.chair.code if p.chair else None,
            "secretary": p.secretary.username if p.secretary else None,
            "members": [m.code for m in p.members.all()],
        }
        for p in panels
    ]


@router.get("/rounds/{code}/draws", response={200: list[DrawOut], **errors(403, 404)})
def list_draws(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    _actor, rnd = _staff_round(request, code)
    return [_draw_out(d) for d in AssignmentDraw.objects.filter(round=rnd).select_related("area")]


@router.post("/rounds/{code}/draws", response={201: DrawOut, **errors(400, 403, 404)})
def run_draw(request: HttpRequest, code: CodeStr, payload: DrawIn) -> Status:
    """Assign the area's panel to its recommended applications (balanced, no conflict); a
    seed recorded earlier reproduces the same assignment over the same data."""
    actor, rnd = _staff_round(request, code)
    area = get_object_or_404(ReviewArea, code=payload.area)
    record = assigning.draw(actor, round=rnd, area=area, seed=payload.seed)
    return Status(201, _draw_out(record))


@router.get("/rounds/{code}/assignments", response={200: list[AssignmentOut], **errors(403, 404)})
def list_round_assignments(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    _actor, rnd = _staff_round(request, code)
    qs = sel.round_assignments(rnd, sel.AssignmentFilters())
    return [_assignment_out(a) for a in qs[:MAX_ROWS]]


class AssignIn(Schema):
    application: CodeStr
    reviewer: CodeStr


@router.post("/rounds/{code}/assignments", response={201: AssignmentOut, **errors(400, 403, 404)})
def assign_reviewer(request: HttpRequest, code: CodeStr, payload: AssignIn) -> Status:
    """Assign one reviewer by hand (the same refusals as the draw, one pair at a time)."""
    actor, rnd = _staff_round(request, code)
    app = get_object_or_404(Application, round=rnd, code=payload.application)
    reviewer = get_object_or_404(Reviewer, code=payload.reviewer)
    return Status(201, _assignment_out(assigning.assign(actor, application=app, reviewer=reviewer)))


@router.post("/assignments/{code}/cancel", response={200: AssignmentOut, **errors(400, 403, 404)})
def cancel_assignment(
    request: HttpRequest, code: CodeStr, payload: ReviewerReasonIn
) -> dict[str, Any]:
    actor = api_actor(request)
    assignment = sel.staff_assignment(actor, code)
    return _assignment_out(assigning.cancel(actor, assignment=assignment, reason=payload.reason))


@router.get("/conflicts", response={200: list[ConflictOut], **errors()})
def list_conflicts(request: HttpRequest) -> list[dict[str, Any]]:
    """Declared conflicts: all for city staff, a reviewer's own, nothing for anyone else."""
    actor = api_actor(request)
    qs: Any = sel.declarations()
    if not can(actor, MANAGE):
        reviewer = reviewer_of(actor)
        qs = qs.filter(reviewer=reviewer) if reviewer else qs.none()
    return [_conflict_out(d) for d in qs[:MAX_ROWS]]


def _conflict_out(d: ConflictDeclaration) -> dict[str, Any]:
    return {
        "reviewer": d.reviewer.code,
        "collective": d.collective.code,
        "reason": d.reason,
        "declared_at": d.declared_at,
    }


# The reviewer ---------------------------------------------------------------------------------
# An assignment or application that is not the caller's answers 404 (the loaders are scoped to
# the caller's reviewer profile); the services check the permission on what was found.


@router.get("/review/assignments", response={200: list[AssignmentOut], **errors()})
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's live assignments in rounds under review, soonest deadline first (empty
    for anyone not in the reviewer pool)."""
    actor = api_actor(request)
    return [_assignment_out(a) for a in sel.reviewer_home(actor).select_related("reviewer")]


@router.post(
    "/review/assignments/{code}/accept", response={200: AssignmentOut, **errors(400, 403, 404)}
)
def accept_assignment(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    a = assigning.accept(actor, assignment=sel.own_assignment(actor, code))
    return _assignment_out(a)


@router.post(
    "/review/assignments/{code}/decline", response={200: AssignmentOut, **errors(400, 403, 404)}
)
def decline_assignment(
    request: HttpRequest, code: CodeStr, payload: ReviewerReasonIn
) -> dict[str, Any]:
    actor = api_actor(request)
    a = assigning.decline(actor, assignment=sel.own_assignment(actor, code), reason=payload.reason)
    return _assignment_out(a)


@router.post(
    "/review/applications/{code}/conflict",
    response={201: ConflictOut, **errors(400, 403, 404)},
)
def declare_conflict(request: HttpRequest, code: CodeStr, payload: ReviewerReasonIn) -> Status:
    actor = api_actor(request)
    app = sel.dossier_application(actor, code)
    declaration = pool.conflict_declare(actor, application=app, reason=payload.reason)
    return Status(201, _conflict_out(declaration))
