"""Permissions of the notice part: inspection, publishing a notice, handling objections.
City staff act; body admins read their own entries' records through ``awards.view``."""

from __future__ import annotations

from typing import Any

from qnwmh.awards.models import Objection, ShortlistEntry
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("awards.inspect", target=ShortlistEntry)
def _inspect(actor: Actor, entry: ShortlistEntry) -> bool:
    """Record the inspection visit to a listed collective: the city's own act."""
    return actor.is_city_admin


@rule("awards.publish_notice", target=None)
def _publish(actor: Actor, obj: Any) -> bool:
    """Publish a public notice of the shortlisted collectives."""
    return actor.is_city_admin


@rule("awards.handle_objection", target=Objection)
def _handle(actor: Actor, objection: Objection) -> bool:
    """Assign, check and decide an objection: city staff (the body only reads)."""
    return actor.is_city_admin
