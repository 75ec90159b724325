"""Changes to the organisation tree and its reference data."""

from __future__ import annotations

from django.db import transaction

from qnwmh.audit.services import log_action, snapshot
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import require
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
def organisation_update(
    actor: Actor, *, org: Organisation, fields: dict[str, object]
) -> Organisation:
    require(actor, "orgs.manage")
    before = snapshot(org)
    for name, value in fields.items():
        setattr(org, name, value)
    clean_or_raise(org, exclude=["path"])
    org.save()
    log_action(actor, org, "orgs.organisation.updated", before=before, after=snapshot(org))
    return org


@transaction.atomic
def reference_save(actor: Actor, *, item: Town | Sector) -> Town | Sector:
    """Create or update a town or sector (reference data that city admins maintain)."""
    require(actor, "orgs.manage")
    created = item.pk is None
    before = {} if created else snapshot(type(item).objects.get(pk=item.pk))
    clean_or_raise(item)
    item.save()
    verb = "created" if created else "updated"
    log_action(
        actor, item, f"orgs.{item._meta.model_name}.{verb}", before=before, after=snapshot(item)
    )
    return item
