"""REST endpoints of partnerships (``/api/v1/partnerships/...``), calling the same selectors and
services as the pages: joint projects and mentor pairs (list, read, propose, confirm, return,
close), a milestone done and a held activity. Evidence files and photos are uploaded on the
pages; the API carries the facts."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.collectives.models import Collective
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
from qnwmh.core.scope import in_scope
from qnwmh.partnerships import selectors as sel
from qnwmh.partnerships import services
from qnwmh.partnerships.models import JointCreation, MentorPair, Rating
from qnwmh.partnerships.models import Status as State
from qnwmh.partnerships.policy import RULES

router = Router(tags=["partnerships"])

if TYPE_CHECKING:
    StatusStr = str
    RatingStr = str
else:
    StatusStr = Literal[tuple(State.values)]
    RatingStr = Literal[tuple(Rating.values)]


def _viewer(request: HttpRequest) -> Actor:
    actor = api_actor(request)
    require(actor, "partnerships.view")
    return actor


class PartnershipFiltersIn(Schema):
    status: StatusStr | None = None
    body: IdInt | None = None
    q: Line = Field(default="", max_length=50)


def _filters(f: PartnershipFiltersIn) -> sel.Filters:
    return sel.Filters(status=f.status or "", body=f.body, q=f.q)


class PartnershipReasonIn(Schema):
    reason: Text = Field(max_length=2000)


# Joint creation -------------------------------------------------------------------------------


class JointMilestoneOut(Schema):
    number: int
    name: str
    due_on: datetime.date
    done_on: datetime.date | None
    note: str


class JointPartnerOut(Schema):
    code: str
    name: str


class JointCreationOut(Schema):
    code: str
    name: str
    goal: str
    body: str
    status: str
    partners: list[JointPartnerOut]
    milestones: list[JointMilestoneOut]
    outcome: str
    return_reason: str
    proposed_at: datetime.datetime
    decided_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class JointMilestoneIn(Schema):
    name: Line = Field(min_length=1, max_length=100)
    due_on: datetime.date


class JointCreationIn(Schema):
    name: Line = Field(max_length=100)
    goal: Text = Field(max_length=3000)
    partner_codes: list[CodeStr] = Field(max_length=RULES.max_partners + 2)
    milestones: list[JointMilestoneIn] = Field(max_length=RULES.max_milestones + 2)


class JointMilestoneDoneIn(Schema):
    done_on: datetime.date
    note: Text = Field(max_length=3000)


class JointOutcomeIn(Schema):
    outcome: Text = Field(max_length=5000)


def _joint_out(p: JointCreation) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "goal": p.goal,
        "body": p.body.name,
        "status": p.status,
        "partners": [{"code": c.code, "name": c.name} for c in p.partners.all()],
        "milestones": [
            {
                "number": m.number,
                "name": m.name,
                "due_on": m.due_on,
                "done_on": m.done_on,
                "note": m.note,
            }
            for m in p.milestones.all()
        ],
        "outcome": p.outcome,
        "return_reason": p.return_reason,
        "proposed_at": p.proposed_at,
        "decided_at": p.decided_at,
        "closed_at": p.closed_at,
    }


def _fresh_joint(actor: Actor, code: str) -> dict[str, Any]:
    return _joint_out(sel.project_detail(actor, code))


@router.get("/joints", response={200: Page[JointCreationOut], **errors(403)})
def list_joints(
    request: HttpRequest, filters: Query[PartnershipFiltersIn], q: Query[PageQuery]
) -> dict[str, Any]:
    """The joint projects you may see, newest first."""
    actor = _viewer(request)
    qs = sel.project_list(actor, _filters(filters)).prefetch_related("milestones")
    page = page_of(qs, q)
    page["results"] = [_joint_out(p) for p in page["results"]]
    return page


@router.post("/joints", response={201: JointCreationOut, **errors(400, 403, 404)})
def propose_joint(request: HttpRequest, payload: JointCreationIn) -> Status:
    """A body proposes a project of titled collectives (the city confirms it). Every partner
    code must name a collective holding a title in force."""
    actor = _viewer(request)
    require(actor, "partnerships.propose", None)
    codes = list(dict.fromkeys(payload.partner_codes))
    found = {c.code: c for c in sel.titled_collectives().filter(code__in=codes)}
    if len(found) != len(codes):
        raise Http404
    p = services.joint_propose(
        actor,
        name=payload.name,
        goal=payload.goal,
        partners=[found[c] for c in codes],
        milestones=[(m.name, m.due_on) for m in payload.milestones],
    )
    return Status(201, _fresh_joint(actor, p.code))


@router.get("/joints/{code}", response={200: JointCreationOut, **errors(403, 404)})
def get_joint(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _fresh_joint(_viewer(request), code)


@router.post("/joints/{code}/confirm", response={200: JointCreationOut, **errors(400, 403, 404)})
def confirm_joint(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = _viewer(request)
    require(actor, "partnerships.confirm")
    services.joint_confirm(actor, sel.project_detail(actor, code))
    return _fresh_joint(actor, code)


@router.post("/joints/{code}/return", response={200: JointCreationOut, **errors(400, 403, 404)})
def return_joint(
    request: HttpRequest, code: CodeStr, payload: PartnershipReasonIn
) -> dict[str, Any]:
    actor = _viewer(request)
    require(actor, "partnerships.confirm")
    services.joint_return(actor, sel.project_detail(actor, code), reason=payload.reason)
    return _fresh_joint(actor, code)


@router.post(
    "/joints/{code}/milestones/{number}/done",
    response={200: JointCreationOut, **errors(400, 403, 404)},
)
def milestone_done(
    request: HttpRequest, code: CodeStr, number: IdInt, payload: JointMilestoneDoneIn
) -> dict[str, Any]:
    actor = _viewer(request)
    p = sel.project_detail(actor, code)
    require(actor, "partnerships.run_joint", p)
    services.milestone_done(
        actor, p, sel.milestone_of(p, number), done_on=payload.done_on, note=payload.note
    )
    return _fresh_joint(actor, code)


@router.post("/joints/{code}/close", response={200: JointCreationOut, **errors(400, 403, 404)})
def close_joint(request: HttpRequest, code: CodeStr, payload: JointOutcomeIn) -> dict[str, Any]:
    actor = _viewer(request)
    services.joint_close(actor, sel.project_detail(actor, code), outcome=payload.outcome)
    return _fresh_joint(actor, code)


# Mentor pairs ------------------------------------------------------------------------------------


class PairActivityOut(Schema):
    code: str
    name: str
    occurred_on: datetime.date
    place: str
    participants: int
    description: str
    logged: int


class MentorPairOut(Schema):
    code: str
    mentor_code: str
    mentor: str
    mentee_code: str
    mentee: str
    body: str
    cycle_code: str
    status: str
    plan: str
    review: str
    rating: str
    return_reason: str
    activities: list[PairActivityOut]
    proposed_at: datetime.datetime
    decided_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class MentorPairIn(Schema):
    mentor_code: CodeStr
    mentee_code: CodeStr
    plan: Text = Field(max_length=3000)


class PairActivityIn(Schema):
    name: Line = Field(max_length=100)
    occurred_on: datetime.date
    place: Line = Field(default="", max_length=100)
    participants: int = Field(default=0, ge=0, le=100000)
    description: Text = Field(max_length=3000)


class MentorPairCloseIn(Schema):
    rating: RatingStr
    review: Text = Field(max_length=5000)


def _pair_out(p: MentorPair) -> dict[str, Any]:
    return {
        "code": p.code,
        "mentor_code": p.mentor.code,
        "mentor": p.mentor.name,
        "mentee_code": p.mentee.code,
        "mentee": p.mentee.name,
        "body": p.body.name,
        "cycle_code": p.cycle.code,
        "status": p.status,
        "plan": p.plan,
        "review": p.review,
        "rating": p.rating,
        "return_reason": p.return_reason,
        "activities": [
            {
                "code": a.code,
                "name": a.name,
                "occurred_on": a.occurred_on,
                "place": a.place,
                "participants": a.participants,
                "description": a.description,
                "logged": a.logged,
            }
            for a in p.activities.all()
        ],
        "proposed_at": p.proposed_at,
        "decided_at": p.decided_at,
        "closed_at": p.closed_at,
    }


def _fresh_pair(actor: Actor, code: str) -> dict[str, Any]:
    return _pair_out(sel.pair_detail(actor, code))


@router.get("/pairs", response={200: Page[MentorPairOut], **errors(403)})
def list_pairs(
    request: HttpRequest, filters: Query[PartnershipFiltersIn], q: Query[PageQuery]
) -> dict[str, Any]:
    """The mentor pairs you may see, newest first."""
    actor = _viewer(request)
    qs = sel.pair_list(actor, _filters(filters)).prefetch_related("activities")
    page = page_of(qs, q)
    page["results"] = [_pair_out(p) for p in page["results"]]
    return page


@router.post("/pairs", response={201: MentorPairOut, **errors(400, 403, 404)})
def propose_pair(request: HttpRequest, payload: MentorPairIn) -> Status:
    """The mentee's body proposes a titled mentor for a collective registered in the current
    cycle (the city confirms it)."""
    actor = _viewer(request)
    require(actor, "partnerships.propose", None)
    mentor = Collective.objects.filter(code=payload.mentor_code).first()
    mentee = in_scope(Collective.objects.all(), actor, body="body_id").filter(
        code=payload.mentee_code
    )
    found = mentee.first()
    if mentor is None or found is None:
        raise Http404
    p = services.pair_propose(actor, mentor=mentor, mentee=found, plan=payload.plan)
    return Status(201, _fresh_pair(actor, p.code))


@router.get("/pairs/{code}", response={200: MentorPairOut, **errors(403, 404)})
def get_pair(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _fresh_pair(_viewer(request), code)


@router.post("/pairs/{code}/confirm", response={200: MentorPairOut, **errors(400, 403, 404)})
def confirm_pair(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = _viewer(request)
    require(actor, "partnerships.confirm")
    services.pair_confirm(actor, sel.pair_detail(actor, code))
    return _fresh_pair(actor, code)


@router.post("/pairs/{code}/return", response={200: MentorPairOut, **errors(400, 403, 404)})
def return_pair(
    request: HttpRequest, code: CodeStr, payload: PartnershipReasonIn
) -> dict[str, Any]:
    actor = _viewer(request)
    require(actor, "partnerships.confirm")
    services.pair_return(actor, sel.pair_detail(actor, code), reason=payload.reason)
    return _fresh_pair(actor, code)


@router.post("/pairs/{code}/activities", response={201: MentorPairOut, **errors(400, 403, 404)})
def record_activity(request: HttpRequest, code: CodeStr, payload: PairActivityIn) -> Status:
    """A held activity, recorded in both collectives' creation logs (交流互访)."""
    actor = _viewer(request)
    services.activity_record(
        actor,
        sel.pair_detail(actor, code),
        name=payload.name,
        occurred_on=payload.occurred_on,
        place=payload.place,
        participants=payload.participants,
        description=payload.description,
    )
    return Status(201, _fresh_pair(actor, code))


@router.post("/pairs/{code}/close", response={200: MentorPairOut, **errors(400, 403, 404)})
def close_pair(request: HttpRequest, code: CodeStr, payload: MentorPairCloseIn) -> dict[str, Any]:
    actor = _viewer(request)
    services.pair_close(
        actor, sel.pair_detail(actor, code), review=payload.review, rating=payload.rating
    )
    return _fresh_pair(actor, code)
