"""Permissions of the ranking part: league support, what-if and freezing. Who sees which
entries is the selectors' job (a body admin its subtree's)."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.models import Application, CertificationRound
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("awards.enter_league_support", target=Application)
def _enter_league_support(actor: Actor, application: Any) -> bool:
    """The application's managing body (its admins, or those of a body above it), or city
    staff."""
    return actor.is_city_admin or application.body_id in actor.body_ids


@rule("awards.what_if", target=None)
def _what_if(actor: Actor, obj: Any) -> bool:
    """Trying other weights on the whole city's ranking: city staff."""
    return actor.is_city_admin


@rule("awards.freeze", target=CertificationRound)
def _freeze(actor: Actor, r: Any) -> bool:
    return actor.is_city_admin
