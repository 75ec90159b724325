"""Permissions over cycles, quotas and registrations. Visibility is the selectors' job."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.cycles.models import Quota, Registration
from qnwmh.cycles.selectors import list_with_body
from qnwmh.orgs.models import Organisation


@rule("cycles.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("cycles.manage", target=None)
def _manage(actor: Actor, obj: Any) -> bool:
    """Create cycles, set dates and phases, compute/override/publish quotas, decide lists."""
    return actor.is_city_admin


@rule("cycles.file", target=Collective | None)
def _file(actor: Actor, collective: Any) -> bool:
    """File or change a registration: the collective's manager, or its body's admin."""
    if collective is None:
        return actor.is_body_admin or actor.is_collective_manager
    return collective.id in actor.collective_ids or collective.body_id in actor.body_ids


@rule("cycles.recommend", target=Collective | None)
def _recommend(actor: Actor, collective: Any) -> bool:
    """Special recommendation (特别推荐) is a league decision: the managing body or the city,
    never the collective's own manager."""
    if collective is None:
        return actor.is_city_admin or actor.is_body_admin
    return actor.is_city_admin or collective.body_id in actor.body_ids


@rule("cycles.set_special", target=Registration)
def _set_special(actor: Actor, reg: Registration) -> bool:
    """Mark or unmark one registration for special recommendation: the city at any time; the
    managing body only while its list is with it (once sent, the choice is the city's)."""
    if not _recommend(actor, reg.collective):
        return False
    return actor.is_city_admin or list_with_body(reg.cycle_id, reg.body_id)


@rule("cycles.review", target=Organisation | None)
def _review(actor: Actor, body: Organisation | None) -> bool:
    """Preliminary review (初评) and the body's list: the body's own admins."""
    if body is None:
        return actor.is_body_admin
    return body.pk in actor.body_ids


@rule("cycles.set_headcount", target=Quota)
def _headcount(actor: Actor, quota: Any) -> bool:
    return quota.body_id in actor.body_ids


@rule("cycles.town_view", target=None)
def _town_view(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("cycles.export", target=None)
def _export(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
