"""Reads of import batches, scoped."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.collectives.models import ImportBatch
from qnwmh.core.actor import Actor


def import_batches_visible_to(actor: Actor) -> QuerySet[ImportBatch]:
    """City admins see every batch; others their own uploads."""
    qs = ImportBatch.objects.select_related("owner")
    if actor.is_city_admin:
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(owner=actor.user)


def import_batch_detail(actor: Actor, code: str) -> ImportBatch:
    """The batch with this code, or Http404 if the actor may not see it."""
    return get_object_or_404(import_batches_visible_to(actor), code=code)
