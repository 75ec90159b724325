"""Who may do what in recognition.

Rewards are recorded by the city, and by a body for the collectives under it: a town's or a
sector's league committee gives its own commendations and the register must hold them too,
while the city sees every body's. Stories are written by the bodies over the collective and
approved, published and withdrawn by the city alone. Collectives' own managers read their
rewards and stories; they write neither (a story is a body's account of its collective).
"""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.recognition.models import Reward


@rule("recognition.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    """The lists; each reads only its own rows (the selectors scope them)."""
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("recognition.record_reward", target=Collective | None)
def _record_reward(actor: Actor, collective: Collective | None) -> bool:
    if actor.is_city_admin:
        return True
    if not actor.is_body_admin:
        return False
    return collective is None or collective.body_id in actor.body_ids


@rule("recognition.withdraw_reward", target=Reward)
def _withdraw_reward(actor: Actor, reward: Reward) -> bool:
    """The city any reward; a body only one a body recorded for a collective under it (the
    city's own decisions are not a body's to undo)."""
    if actor.is_city_admin:
        return True
    if not actor.is_body_admin or reward.recorded_by_city:
        return False
    return reward.collective.body_id in actor.body_ids


@rule("recognition.write_story", target=Collective | None)
def _write_story(actor: Actor, collective: Collective | None) -> bool:
    if not actor.is_body_admin or actor.is_city_admin:
        return False
    return collective is None or collective.body_id in actor.body_ids


@rule("recognition.decide_story", target=Collective | None)
def _decide_story(actor: Actor, collective: Collective | None) -> bool:
    """Approve, return, publish, withdraw: the city."""
    return actor.is_city_admin
