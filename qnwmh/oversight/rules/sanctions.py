"""Permissions of the sanctions part: rectification orders and a title's history. Sanctions
themselves use the common rules (``oversight.propose_sanction`` / ``impose_sanction``)."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("oversight.follow_up", target=None)
def _follow_up(actor: Actor, obj: Any) -> bool:
    """Rectification orders and titles' histories: the city, the bodies and the collectives'
    own managers (each reads only its own rows; the selectors scope them)."""
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("oversight.view_title", target=Collective)
def _view_title(actor: Actor, collective: Collective) -> bool:
    return (
        actor.is_city_admin
        or collective.body_id in actor.body_ids
        or collective.id in actor.collective_ids
    )


@rule("oversight.order_rectification", target=Collective)
def _order(actor: Actor, collective: Collective) -> bool:
    """The city, or the body admins over the collective, order and verify a rectification."""
    return actor.is_city_admin or collective.body_id in actor.body_ids


@rule("oversight.report_rectification", target=Collective)
def _report(actor: Actor, collective: Collective) -> bool:
    """Only the collective's own managers report what they fixed."""
    return collective.id in actor.collective_ids
