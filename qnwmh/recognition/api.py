"""REST endpoints of recognition (``/api/v1/recognition/...``), calling the same selectors and
services as the pages: the rewards register, stories through their whole course, and the
published stories the public site shows (no token). Photos are uploaded on the pages; the API
carries the facts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.collectives.models import Collective, Title
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
    public_errors,
)
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.recognition import selectors as sel
from qnwmh.recognition import services
from qnwmh.recognition.forms import collectives_for
from qnwmh.recognition.models import Reward, RewardKind, RewardStatus, Story, StoryStatus

router = Router(tags=["recognition"])

if TYPE_CHECKING:
    KindStr = str
    RewardStatusStr = str
    StoryStatusStr = str
else:
    KindStr = Literal[tuple(RewardKind.values)]
    RewardStatusStr = Literal[tuple(RewardStatus.values)]
    StoryStatusStr = Literal[tuple(StoryStatus.values)]


def _staff(request: HttpRequest) -> Actor:
    actor = api_actor(request)
    require(actor, "recognition.view")
    return actor


def _collective(actor: Actor, code: str) -> Collective:
    """A collective the actor acts for (the city all, a body its own): else 404."""
    return get_object_or_404(collectives_for(actor), code=code)


# Rewards ----------------------------------------------------------------------------------------


class RewardOut(Schema):
    code: str
    collective_code: str
    collective: str
    body: str
    title_code: str | None
    kind: str
    name: str
    basis: str
    decision_number: str
    decided_on: datetime.date
    decided_by_org: str
    amount: Decimal | None
    description: str
    status: str
    recorded_at: datetime.datetime
    withdrawn_reason: str
    withdrawn_at: datetime.datetime | None


class RewardFiltersIn(Schema):
    kind: KindStr | None = None
    status: RewardStatusStr | None = None
    body: IdInt | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)


class RewardIn(Schema):
    collective_code: CodeStr
    title_code: CodeStr | None = None
    kind: KindStr
    name: Line = Field(min_length=1, max_length=100)
    basis: Text = Field(min_length=1, max_length=2000)
    decision_number: Line = Field(min_length=1, max_length=60)
    decided_on: datetime.date
    decided_by_org: Line = Field(min_length=1, max_length=100)
    amount: Decimal | None = Field(default=None, gt=0, max_digits=12, decimal_places=2)
    description: Text = Field(default="", max_length=2000)


class RecognitionReasonIn(Schema):
    reason: Text = Field(max_length=2000)


def _reward_out(r: Reward) -> dict[str, Any]:
    return {
        "code": r.code,
        "collective_code": r.collective.code,
        "collective": r.collective.name,
        "body": r.collective.body.name,
        "title_code": r.title.code if r.title else None,
        "kind": r.kind,
        "name": r.name,
        "basis": r.basis,
        "decision_number": r.decision_number,
        "decided_on": r.decided_on,
        "decided_by_org": r.decided_by_org,
        "amount": r.amount,
        "description": r.description,
        "status": r.status,
        "recorded_at": r.recorded_at,
        "withdrawn_reason": r.withdrawn_reason,
        "withdrawn_at": r.withdrawn_at,
    }


@router.get("/rewards", response={200: Page[RewardOut], **errors(403)})
def list_rewards(
    request: HttpRequest, filters: Query[RewardFiltersIn], q: Query[PageQuery]
) -> dict[str, Any]:
    """The rewards you may see (the city all, a body its subtree's, a manager its own)."""
    actor = _staff(request)
    f = sel.RewardFilters(
        kind=filters.kind or "",
        status=filters.status or "",
        body=filters.body,
        year=filters.year,
    )
    page = page_of(sel.reward_list(actor, f), q)
    page["results"] = [_reward_out(r) for r in page["results"]]
    return page


@router.post("/rewards", response={201: RewardOut, **errors(400, 403, 404)})
def record_reward(request: HttpRequest, payload: RewardIn) -> Status:
    """Record a reward: the city for any collective, a body for its own."""
    actor = api_actor(request)
    require(actor, "recognition.record_reward", None)
    collective = _collective(actor, payload.collective_code)
    title = None
    if payload.title_code:
        title = Title.objects.filter(code=payload.title_code, collective=collective).first()
        if title is None:
            raise DomainError(_("所选称号不属于该集体。"), field="title_code")
    r = services.reward_record(
        actor,
        collective=collective,
        title=title,
        kind=payload.kind,
        name=payload.name,
        basis=payload.basis,
        decision_number=payload.decision_number,
        decided_on=payload.decided_on,
        decided_by_org=payload.decided_by_org,
        amount=payload.amount,
        description=payload.description,
    )
    return Status(201, _reward_out(sel.reward_detail(actor, r.code)))


@router.get("/rewards/{code}", response={200: RewardOut, **errors(403, 404)})
def get_reward(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _reward_out(sel.reward_detail(_staff(request), code))


@router.post("/rewards/{code}/withdraw", response={200: RewardOut, **errors(400, 403, 404)})
def withdraw_reward(
    request: HttpRequest, code: CodeStr, payload: RecognitionReasonIn
) -> dict[str, Any]:
    """Withdraw a reward recorded in error (kept, with the reason)."""
    actor = api_actor(request)
    r = services.reward_withdraw(actor, sel.reward_detail(actor, code), reason=payload.reason)
    return _reward_out(sel.reward_detail(actor, r.code))


# Stories ----------------------------------------------------------------------------------------


class StoryOut(Schema):
    code: str
    collective_code: str
    collective: str
    body: str
    heading: str
    summary: str
    text: str
    status: str
    photos: int
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    note: str
    published_at: datetime.datetime | None


class StoryFiltersIn(Schema):
    status: StoryStatusStr | None = None
    body: IdInt | None = None


class StoryIn(Schema):
    collective_code: CodeStr
    heading: Line = Field(min_length=1, max_length=100)
    summary: Line = Field(default="", max_length=300)
    text: Text = Field(min_length=1, max_length=20000)


class StoryChangeIn(Schema):
    heading: Line | None = Field(default=None, min_length=1, max_length=100)
    summary: Line | None = Field(default=None, max_length=300)
    text: Text | None = Field(default=None, min_length=1, max_length=20000)


def _story_out(s: Story) -> dict[str, Any]:
    return {
        "code": s.code,
        "collective_code": s.collective.code,
        "collective": s.collective.name,
        "body": s.collective.body.name,
        "heading": s.heading,
        "summary": s.summary,
        "text": s.text,
        "status": s.status,
        "photos": s.photos.count(),
        "created_at": s.created_at,
        "submitted_at": s.submitted_at,
        "decided_at": s.decided_at,
        "note": s.note,
        "published_at": s.published_at,
    }


@router.get("/stories", response={200: Page[StoryOut], **errors(403)})
def list_stories(
    request: HttpRequest, filters: Query[StoryFiltersIn], q: Query[PageQuery]
) -> dict[str, Any]:
    """The stories you may see, newest first (a collective's managers once submitted)."""
    actor = _staff(request)
    f = sel.StoryFilters(status=filters.status or "", body=filters.body)
    page = page_of(sel.story_list(actor, f).prefetch_related("photos"), q)
    page["results"] = [_story_out(s) for s in page["results"]]
    return page


@router.post("/stories", response={201: StoryOut, **errors(400, 403, 404)})
def create_story(request: HttpRequest, payload: StoryIn) -> Status:
    """A body's draft about one of its collectives."""
    actor = api_actor(request)
    require(actor, "recognition.write_story", None)
    s = services.story_create(
        actor,
        collective=_collective(actor, payload.collective_code),
        heading=payload.heading,
        summary=payload.summary,
        text=payload.text,
    )
    return Status(201, _story_out(sel.story_detail(actor, s.code)))


@router.get("/stories/{code}", response={200: StoryOut, **errors(403, 404)})
def get_story(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _story_out(sel.story_detail(_staff(request), code))


@router.patch("/stories/{code}", response={200: StoryOut, **errors(400, 403, 404)})
def change_story(request: HttpRequest, code: CodeStr, payload: StoryChangeIn) -> dict[str, Any]:
    """Edit a draft or a returned story (the fields given)."""
    actor = api_actor(request)
    s = sel.story_detail(actor, code)
    services.story_update(
        actor,
        s,
        heading=s.heading if payload.heading is None else payload.heading,
        summary=s.summary if payload.summary is None else payload.summary,
        text=s.text if payload.text is None else payload.text,
    )
    return _story_out(sel.story_detail(actor, code))


def _act(request: HttpRequest, code: str, act: Any, **kwargs: Any) -> dict[str, Any]:
    actor = api_actor(request)
    act(actor, sel.story_detail(actor, code), **kwargs)
    return _story_out(sel.story_detail(actor, code))


@router.post("/stories/{code}/submit", response={200: StoryOut, **errors(400, 403, 404)})
def submit_story(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _act(request, code, services.story_submit)


@router.post("/stories/{code}/approve", response={200: StoryOut, **errors(400, 403, 404)})
def approve_story(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _act(request, code, services.story_approve)


@router.post("/stories/{code}/return", response={200: StoryOut, **errors(400, 403, 404)})
def return_story(
    request: HttpRequest, code: CodeStr, payload: RecognitionReasonIn
) -> dict[str, Any]:
    return _act(request, code, services.story_return, reason=payload.reason)


@router.post("/stories/{code}/publish", response={200: StoryOut, **errors(400, 403, 404)})
def publish_story(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """Publish an approved story on the public site (anything else: 400, nothing changed)."""
    return _act(request, code, services.story_publish)


@router.post("/stories/{code}/withdraw", response={200: StoryOut, **errors(400, 403, 404)})
def withdraw_story(
    request: HttpRequest, code: CodeStr, payload: RecognitionReasonIn
) -> dict[str, Any]:
    return _act(request, code, services.story_withdraw, reason=payload.reason)


# The public site --------------------------------------------------------------------------------


class PublicStoryOut(Schema):
    code: str
    collective_code: str
    collective: str
    heading: str
    summary: str
    text: str
    published_at: datetime.datetime | None
    photo_urls: list[str]


def _public_out(s: Story) -> dict[str, Any]:
    return {
        "code": s.code,
        "collective_code": s.collective.code,
        "collective": s.collective.name,
        "heading": s.heading,
        "summary": s.summary,
        "text": s.text,
        "published_at": s.published_at,
        "photo_urls": [
            reverse("recognition_public:photo", args=[s.code, p.code]) for p in s.photos.all()
        ],
    }


@router.get("/public/stories", response={200: Page[PublicStoryOut], **public_errors()}, auth=None)
def list_public_stories(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    """Published stories, newest first, as the public site lists them."""
    page = page_of(sel.published_stories().prefetch_related("photos"), q)
    page["results"] = [_public_out(s) for s in page["results"]]
    return page


@router.get(
    "/public/stories/{code}", response={200: PublicStoryOut, **public_errors(404)}, auth=None
)
def get_public_story(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _public_out(sel.public_story(code))
