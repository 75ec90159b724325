"""Permissions shared by every awards step. Visibility is the selectors' job."""

from __future__ import annotations

from typing import Any

from qnwmh.awards.models import ShortlistEntry
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("awards.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    """The shortlist, inspections, notices and decisions in the back office: the city and
    the bodies (each its own entries)."""
    return actor.is_city_admin or actor.is_body_admin


@rule("awards.move_up", target=ShortlistEntry)
def _move_up(actor: Actor, entry: ShortlistEntry) -> bool:
    """Put a reserve on the list after a removal: a deliberate act of city staff."""
    return actor.is_city_admin
