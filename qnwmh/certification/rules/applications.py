"""Permissions over certification: the round and applications. Visibility is the selectors'
job (``applications_visible_to``); these say who may act."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.models import Application
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("certification.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    """The round and the applications' lists: the city, bodies and collectives' managers."""
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("certification.manage_round", target=None)
def _manage_round(actor: Actor, obj: Any) -> bool:
    """Set the round's windows and move it through its states."""
    return actor.is_city_admin


@rule("certification.apply", target=Collective | None)
def _apply(actor: Actor, collective: Any) -> bool:
    """Make, change, submit or withdraw the collective's application: its manager, or its
    managing body on its behalf (as with registrations)."""
    if collective is None:
        return actor.is_body_admin or actor.is_collective_manager
    return collective.id in actor.collective_ids or collective.body_id in actor.body_ids


@rule("certification.recommend", target=Application)
def _recommend(actor: Actor, app: Application) -> bool:
    """Recommend (推荐意见 and rank), return or withdraw: the application's managing body."""
    return app.body_id in actor.body_ids


@rule("certification.withdraw", target=Application)
def _withdraw(actor: Actor, app: Application) -> bool:
    """Withdraw: the collective (its manager, or its body on its behalf) or the body."""
    return _apply(actor, app.collective) or _recommend(actor, app)


@rule("certification.export", target=None)
def _export(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
