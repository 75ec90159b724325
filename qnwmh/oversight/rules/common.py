"""Permissions shared by every oversight part. Visibility is the selectors' job."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("oversight.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    """Re-reviews, spot checks, sanctions and exits in the back office: the city and the
    bodies (each its own collectives')."""
    return actor.is_city_admin or actor.is_body_admin


@rule("oversight.manage", target=None)
def _manage(actor: Actor, obj: Any) -> bool:
    """The standard, opening and closing a re-review, drawing a spot check: the city's."""
    return actor.is_city_admin


@rule("oversight.propose_sanction", target=Collective)
def _propose(actor: Actor, collective: Collective) -> bool:
    """A body proposes a sanction on its own collectives' titles; the city may too."""
    return actor.is_city_admin or collective.body_id in actor.body_ids


@rule("oversight.impose_sanction", target=Collective)
def _impose(actor: Actor, collective: Collective) -> bool:
    """Imposing, confirming or withdrawing a sanction: the city decides."""
    return actor.is_city_admin


@rule("oversight.record_exit", target=Collective)
def _exit(actor: Actor, collective: Collective) -> bool:
    """Ending a title (退出) and recording its plaque's recovery: the city's act."""
    return actor.is_city_admin
