"""Permissions over exchange events. What an actor sees is ``selectors.events_visible_to``;
these decide what a visible event's reader may do."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.exchange.models import Event, EventKind
from qnwmh.orgs.models import Organisation


@rule("exchange.view_list", target=None)
def _view_list(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("exchange.organise", target=Organisation | None)
def _organise(actor: Actor, organiser: Any) -> bool:
    """Start an event: the city for the city, a body admin for a body it administers."""
    if organiser is None:
        return actor.is_city_admin or actor.is_body_admin
    if organiser.is_city:
        return actor.is_city_admin
    return actor.is_city_admin or organiser.id in actor.body_ids


@rule("exchange.manage", target=Event)
def _manage(actor: Actor, event: Any) -> bool:
    """Open, hold, close or cancel an event, record its attendance, minutes and photos: its
    organiser's admins (the city for every event)."""
    return actor.is_city_admin or event.organiser_id in actor.body_ids


@rule("exchange.register", target=Event)
def _register(actor: Actor, event: Any) -> bool:
    """Register a collective for an exhibition or a meeting: its managers or its body's admins
    (which collective, and whether it is invited, the service decides)."""
    if event.kind == EventKind.MUTUAL_VISIT:
        return False
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("exchange.act_for", target=Collective)
def _act_for(actor: Actor, collective: Any) -> bool:
    """Speak for a collective (register it, appraise for it)."""
    return (
        actor.is_city_admin
        or collective.id in actor.collective_ids
        or collective.body_id in actor.body_ids
    )


@rule("exchange.appraise", target=Event)
def _appraise(actor: Actor, event: Any) -> bool:
    """Appraise the other side of a mutual visit: a side's managers or its body's admins, or
    the city entering a side's paper form."""
    if event.kind != EventKind.MUTUAL_VISIT:
        return False
    if actor.is_city_admin:
        return True
    sides = [c for c in (event.host, event.guest) if c is not None]
    return any(c.id in actor.collective_ids or c.body_id in actor.body_ids for c in sides)
