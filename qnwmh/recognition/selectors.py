"""Reads of recognition, scoped by the actor: the city all, a body its subtree's collectives',
a collective's managers their own (a story once its body has submitted it). The public reads
only published stories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.collectives.models import Collective, Title
from qnwmh.collectives.selectors import public_collectives
from qnwmh.core.actor import Actor
from qnwmh.core.codes import is_code_shaped
from qnwmh.core.errors import NotFound
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.evidence.models import EvidenceFile
from qnwmh.recognition.models import Reward, RewardKind, RewardStatus, Story, StoryStatus

# Rewards ----------------------------------------------------------------------------------------


def rewards_visible_to(actor: Actor) -> QuerySet[Reward]:
    return in_scope(
        Reward.objects.all(), actor, body="collective__body_id", collective="collective_id"
    )


@dataclass(frozen=True)
class RewardFilters:
    kind: str = ""
    status: str = ""
    body: int | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> RewardFilters:
        q = Query(data)
        return cls(
            kind=q.choice("kind", RewardKind.values),
            status=q.choice("status", RewardStatus.values),
            body=q.number("body"),
            year=q.number("year", low=2000, high=2100),
        )

    def apply(self, qs: QuerySet[Reward]) -> QuerySet[Reward]:
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.body:
            qs = qs.filter(collective__body_id=self.body)
        if self.year:
            qs = qs.filter(decided_on__year=self.year)
        return qs

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


def reward_list(actor: Actor, filters: RewardFilters | None = None) -> QuerySet[Reward]:
    qs = (filters or RewardFilters()).apply(rewards_visible_to(actor))
    return qs.select_related("collective__body", "title").order_by("-decided_on", "-id")


def reward_detail(actor: Actor, code: str) -> Reward:
    return get_object_or_404(
        rewards_visible_to(actor).select_related("collective__body", "title", "recorded_by"),
        code=code,
    )


def reward_years() -> list[int]:
    return sorted({d.year for d in Reward.objects.dates("decided_on", "year")}, reverse=True)


def titles_of(collective: Collective) -> QuerySet[Title]:
    return Title.objects.filter(collective=collective).order_by("-awarded_on", "-id")


# Stories ----------------------------------------------------------------------------------------


def stories_visible_to(actor: Actor) -> QuerySet[Story]:
    return in_scope(
        Story.objects.all(),
        actor,
        body="collective__body_id",
        collective="collective_id",
        own=~Q(status=StoryStatus.DRAFT),
    )


@dataclass(frozen=True)
class StoryFilters:
    status: str = ""
    body: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> StoryFilters:
        q = Query(data)
        return cls(status=q.choice("status", StoryStatus.values), body=q.number("body"))

    def apply(self, qs: QuerySet[Story]) -> QuerySet[Story]:
        if self.status:
            qs = qs.filter(status=self.status)
        if self.body:
            qs = qs.filter(collective__body_id=self.body)
        return qs

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


def story_list(actor: Actor, filters: StoryFilters | None = None) -> QuerySet[Story]:
    qs = (filters or StoryFilters()).apply(stories_visible_to(actor))
    return qs.select_related("collective__body").order_by("-created_at", "-id")


def story_detail(actor: Actor, code: str) -> Story:
    return get_object_or_404(
        stories_visible_to(actor).select_related("collective__body", "written_by", "decided_by"),
        code=code,
    )


def filter_bodies(actor: Actor) -> list[Any]:
    """The bodies a body filter may offer (none when there is only one to choose)."""
    from qnwmh.collectives.selectors import filter_choices

    return list(filter_choices(actor, ("bodies",))["bodies"])


def story_photos(story: Story) -> list[EvidenceFile]:
    return list(story.photos.order_by("id"))


# The public site --------------------------------------------------------------------------------


def published_stories() -> QuerySet[Story]:
    """Published stories of collectives the public site still shows (an archived collective
    that never held a title leaves it, and its stories with it)."""
    return (
        Story.objects.filter(
            status=StoryStatus.PUBLISHED, collective__in=public_collectives().values("pk")
        )
        .select_related("collective")
        .order_by("-published_at", "-id")
    )


def public_story(code: str) -> Story:
    """A published story by its code, or a 404 that says so."""
    code = (code or "").upper()
    story = published_stories().filter(code=code).first() if is_code_shaped(code, 12) else None
    if story is None:
        raise NotFound(_not_found())
    return story


def public_photo(story: Story, photo_code: str) -> EvidenceFile:
    photo = story.photos.filter(code=photo_code).first()
    if photo is None:
        raise NotFound(_not_found())
    return photo


def _not_found() -> str:
    from django.utils.translation import gettext

    return gettext("没有找到这篇典型案例，它可能已撤回。")
