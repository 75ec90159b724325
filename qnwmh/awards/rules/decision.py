"""Permissions of the decision part: the audit and the decision are the city's; certificates
are read by whoever sees the collective's body (the selectors scope them)."""

from __future__ import annotations

from typing import Any

from qnwmh.awards.models import Shortlist
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("awards.decide", target=Shortlist | None)
def _decide(actor: Actor, shortlist: Any) -> bool:
    """The final audit and the decision that creates titles: city staff only."""
    return actor.is_city_admin


@rule("awards.issue_certificate", target=Collective)
def _issue_certificate(actor: Actor, collective: Any) -> bool:
    """A certificate outside a decision (titles from before the platform): city staff."""
    return actor.is_city_admin
