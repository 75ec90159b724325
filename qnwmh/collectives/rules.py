"""Permissions over collectives. Visibility is ``collectives_visible_to``; these decide what a
visible collective's viewer may change."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective, ImportBatch
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.orgs.models import Organisation


def _administers(actor: Actor, collective: Any) -> bool:
    return actor.is_city_admin or collective.body_id in actor.body_ids


def _manages(actor: Actor, collective: Any) -> bool:
    return collective.id in actor.collective_ids


@rule("collectives.create", target=Organisation | None)
def _create(actor: Actor, body: Any) -> bool:
    if body is None:
        return actor.is_city_admin or actor.is_body_admin
    return actor.is_city_admin or body.id in actor.body_ids


@rule("collectives.edit", target=Collective)
def _edit(actor: Actor, collective: Any) -> bool:
    return _administers(actor, collective) or _manages(actor, collective)


@rule("collectives.edit_governed_fields", target=Collective)
def _edit_governed(actor: Actor, collective: Any) -> bool:
    """Managing body, town, sector, ownership and status are decided by league staff."""
    return _administers(actor, collective)


@rule("collectives.edit_roster", target=Collective)
def _edit_roster(actor: Actor, collective: Any) -> bool:
    return _administers(actor, collective) or _manages(actor, collective)


@rule("collectives.view_personal_data", target=Collective)
def _view_personal(actor: Actor, collective: Any) -> bool:
    # Members' phone numbers and birth dates in full: only the collective's own managers and
    # the admins of its managing body (who keep and import the roster). Everyone else, the
    # city admin included, gets the masked phone and an age band (qnwmh/core/masking.py) on
    # every page, export, API answer and audit entry.
    return collective.body_id in actor.body_ids or _manages(actor, collective)


@rule("collectives.manage_titles", target=Collective)
def _manage_titles(actor: Actor, collective: Any) -> bool:
    return actor.is_city_admin


@rule("collectives.archive", target=Collective)
def _archive(actor: Actor, collective: Any) -> bool:
    return _administers(actor, collective)


@rule("collectives.view_list", target=None)
def _view_list(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("collectives.import", target=None)
def _import(actor: Actor, obj: Any) -> bool:
    """Spreadsheet import of collectives and rosters: league staff (city and body admins)."""
    return actor.is_city_admin or actor.is_body_admin


@rule("collectives.import_apply", target=ImportBatch)
def _import_apply(actor: Actor, batch: Any) -> bool:
    # Only the person who uploaded (and saw the preview of) a batch confirms it.
    return (
        (actor.is_city_admin or actor.is_body_admin)
        and actor.user is not None
        and batch.owner_id == actor.user.pk
    )


@rule("collectives.reclean_photos", target=Collective)
def _reclean_photos(actor: Actor, obj: Any) -> bool:
    """Re-encoding photos stored before the image pipeline: the maintenance command only."""
    return "system" in actor.roles
