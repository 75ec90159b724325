"""Permissions over creation records. Visibility is scoped by the selectors; these decide
what a visible record's viewer may change."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.orgs.models import Organisation


@rule("creation.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    return actor.is_staff_of_body or actor.is_collective_manager


@rule("creation.edit_records", target=Collective)
def _edit_records(actor: Actor, collective: Any) -> bool:
    """Plans and log entries: the collective's managers and its body's (or the city's) staff."""
    return (
        actor.is_city_admin
        or collective.body_id in actor.body_ids
        or collective.id in actor.collective_ids
    )


@rule("creation.view_compliance", target=None)
def _view_compliance(actor: Actor, obj: Any) -> bool:
    return actor.is_staff_of_body


@rule("creation.manage_duties", target=Organisation)
def _manage_duties(actor: Actor, body: Any) -> bool:
    """A body keeps its own 三个一 records (city staff may help)."""
    return actor.is_city_admin or body.id in actor.body_ids
