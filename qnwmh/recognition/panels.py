"""Recognition's sections on a collective's pages: its rewards and stories in the back office
(as the actor may see them), its published stories on the public page. One query per list."""

from __future__ import annotations

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, Panel
from qnwmh.core.permissions import can
from qnwmh.recognition.models import RewardStatus, Story, StoryStatus
from qnwmh.recognition.selectors import rewards_visible_to, stories_visible_to

SHOWN = 10


def office(actor: Actor, collective: Collective) -> list[Panel]:
    rewards = list(
        rewards_visible_to(actor)
        .filter(collective=collective, status=RewardStatus.RECORDED)
        .order_by("-decided_on", "-id")[:SHOWN]
    )
    stories = list(stories_visible_to(actor).filter(collective=collective)[:SHOWN])
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


PANELS = {OFFICE_COLLECTIVE: office, PUBLIC_COLLECTIVE: public}
