"""Permissions of the spot checks and visits. Drawing is ``oversight.manage`` (the city's);
visits are planned and recorded by the inspectors: city staff and the admins of the visited
collective's body."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("oversight.inspect", target=Collective)
def _inspect(actor: Actor, collective: Collective) -> bool:
    """Plan, record and close a visit to a collective, or start one outside a draw."""
    return actor.is_city_admin or collective.body_id in actor.body_ids


@rule("oversight.own_visits", target=None)
def _own_visits(actor: Actor, obj: Any) -> bool:
    """A collective's managers read the visits to their collective (covert ones once closed)."""
    return actor.is_collective_manager


@rule("oversight.see_visit", target=None)
def _see_visit(actor: Actor, obj: Any) -> bool:
    """A visit's page: the staff who oversee, and the visited collective's managers (which
    visits each reaches is the selector's job)."""
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager
