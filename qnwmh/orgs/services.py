"""Changes to the organisation tree and its reference data."""

from __future__ import annotations

from django.db import transaction

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.permissions import require
from qnwmh.audit.services import log_action, snapshot
from qnwmh.core.validation import clean_or_raise
from qnwmh.orgs.models import Organisation, Sector, Town


def _assign_path(org: Organisation) -> None:
    prefix = org.parent.path if org.parent else ""
    org.path = f"{prefix}{org.pk:06d}/"


@transaction.atomic
def organisation_create(actor: Actor, *, org: Organisation) -> Organisation:
    """Save a new organisation (city league or managing body) built by the caller."""
    require(actor, "orgs.manage")
    clean_or_raise(org, exclude=["path"])
    org.path = "-"
    org.save()
    _assign_path(org)
    org.save(update_fields=["path"])
    log_action(actor, org, "orgs.organisation.created", after=snapshot(org))
    return org


@transaction.atomic
def organisation_update(actor: Actor, *, org: Organisation, fields: dict[str, object]) -> Organisation:
    require(actor, "orgs.manage")
    before = snapshot(org)
    for name, value in fields.items():
        setattr(org, name, value)
    clean_or_raise(org, exclude=["path"])
    org.save()
    log_action(actor, org, "orgs.organisation.updated", before=before, after=snapshot(org))
    return org


@transaction.atomic
def town_save(actor: Actor, *, town: Town) -> Town:
    require(actor, "orgs.manage")
    created = town.pk is None
    before = {} if created else snapshot(Town.objects.get(pk=town.pk))
    clean_or_raise(town)
    town.save()
    log_action(actor, town, "orgs.town.created" if created else "orgs.town.updated",
               before=before, after=snapshot(town))
    return town


@transaction.atomic
def sector_save(actor: Actor, *, sector: Sector) -> Sector:
    require(actor, "orgs.manage")
    created = sector.pk is None
    before = {} if created else snapshot(Sector.objects.get(pk=sector.pk))
    clean_or_raise(sector)
    sector.save()
    log_action(actor, sector, "orgs.sector.created" if created else "orgs.sector.updated",
               before=before, after=snapshot(sector))
    return sector
