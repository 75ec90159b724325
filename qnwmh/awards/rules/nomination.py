"""Permissions over nominations upward (推报). Who sees which nomination is the selectors'
job (``selectors.nomination``); these say who may act."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("awards.nominate", target=None)
def _nominate(actor: Actor, obj: Any) -> bool:
    """Open provincial rounds, nominate city titles, withdraw them and record the province's
    outcome: city staff (the city sends its nominations up, not the bodies)."""
    return actor.is_city_admin
