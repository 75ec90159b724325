"""Recognition's sections on a collective's pages: its rewards and stories in the back office
(as the actor may see them), its published stories on the public page. One query per list;
none for a collective without rewards or stories (the page loader's probe)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, Panel, Probed
from qnwmh.core.permissions import can
from qnwmh.recognition.models import Reward, RewardStatus, Story, StoryStatus
from qnwmh.recognition.selectors import rewards_visible_to, stories_visible_to

SHOWN = 10


def office(actor: Actor, collective: Collective) -> list[Panel]:
    rewards = list(
        rewards_visible_to(actor)
        .filter(collective=collective, status=RewardStatus.RECORDED)
        .order_by("-decided_on", "-id")[:SHOWN]
    )
    stories = list(stories_visible_to(actor).filter(collective=collective)[:SHOWN])
    return _office(actor, collective, rewards, stories)


def office_none(actor: Actor, collective: Collective) -> list[Panel]:
    return _office(actor, collective, [], [])


def _office(
    actor: Actor, collective: Collective, rewards: list[Reward], stories: list[Story]
) -> list[Panel]:
    context = {
        "code": collective.code,
        "rewards": rewards,
        "stories": stories,
        "can_record": can(actor, "recognition.record_reward", collective),
        "can_write": can(actor, "recognition.write_story", collective),
    }
    return [Panel("recognition/_panel_office.html", context)]


def public(collective: Collective) -> list[Panel]:
    stories = list(
        Story.objects.filter(collective=collective, status=StoryStatus.PUBLISHED)
        .only("code", "heading", "published_at")
        .order_by("-published_at", "-id")[:SHOWN]
    )
    return [Panel("recognition/_panel_public.html", {"stories": stories})] if stories else []


def _office_any() -> Q:
    outer = OuterRef("pk")
    return Q(Exists(Reward.objects.filter(collective_id=outer))) | Q(
        Exists(Story.objects.filter(collective_id=outer))
    )


def _public_any() -> Exists:
    return Exists(Story.objects.filter(collective_id=OuterRef("pk")))


PANELS = {
    OFFICE_COLLECTIVE: Probed(office, _office_any, office_none),
    PUBLIC_COLLECTIVE: Probed(public, _public_any),
}
