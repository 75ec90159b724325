"""Kept counts of collectives (``CollectiveCount``): how they are kept and how they are read.

Kept: every save or delete of a collective that moves it into, out of or within a body's
counts (its body, status or eligibility) recounts the bodies it left and joined inside the
writer's transaction (model signals, so no service can forget). The bulk paths that bypass
the signals call ``refresh`` themselves with the bodies whose rows they moved: the
eligibility refresh after a roster change (one UPDATE), the refresh of every collective
after a rules change (per batch) and the importer. Bulk loads that bypass all of them (the
demo, the bench generators) end with ``rebuild`` (``manage.py rebuild_collective_counts``).
The same writes keep the filter bars' options (``facets``): every recount touches their
stamp, and so does a save that moves a collective between towns, sectors or ownerships.

Read: ``per_eligibility`` sums a scope's rows, six per body at most whatever the number of
collectives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_save, pre_save

from qnwmh.collectives import facets
from qnwmh.collectives.models import Collective, CollectiveCount, CollectiveStatus
from qnwmh.orgs.models import Organisation

GROUP = ("body_id", "status", "eligibility")
# The fields a save may name (``update_fields`` takes names and attnames) that move a count.
COUNTED_FIELDS = frozenset({"body", "body_id", "status", "eligibility"})
# The other columns a filter bar offers (``facets``): a move between them keeps the counts.
OTHER_FACETS = ("town_id", "sector_id", "ownership")
FACET_FIELDS = COUNTED_FIELDS | {"town", "town_id", "sector", "sector_id", "ownership"}


def _rows(collectives: Any) -> list[CollectiveCount]:
    return [
        CollectiveCount(
            body_id=g["body_id"], status=g["status"], eligibility=g["eligibility"], n=g["n"]
        )
        for g in collectives.order_by().values(*GROUP).annotate(n=Count("id"))
    ]


@transaction.atomic
def refresh(body_ids: Iterable[int]) -> None:
    """Recount the collectives of these bodies. Each body's lock (``_lock``) is taken first,
    in one order, so two writers for one body recount one after the other (unlocked, both
    would insert the same first row)."""
    ids = sorted(set(body_ids))
    if not ids:
        return
    facets.touch()
    _lock(Organisation.objects.filter(pk__in=ids))
    CollectiveCount.objects.filter(body_id__in=ids).delete()
    # Every status named, so the recount is a range of ``collective_home_counts`` per status
    # and body (the index leads with the status), not a scan.
    recounted = Collective.objects.filter(status__in=CollectiveStatus.values, body_id__in=ids)
    CollectiveCount.objects.bulk_create(_rows(recounted))


# A namespace of PostgreSQL's transaction-level advisory locks, one lock per body. Not the
# body's row: the registration counts lock that row and then the registration's collective,
# while a collective's writer holds the collective and then recounts its body; both on one
# row would deadlock. SQLite runs one writer at a time and needs none.
LOCK_SPACE = 0x51C0_0C07


def _lock(bodies: Any) -> None:
    if connection.vendor != "postgresql":
        return
    ids = sorted(bodies.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(LOCK_SPACE << 32) | pk])


@transaction.atomic
def rebuild() -> int:
    """Recompute every row from the collectives; the rows written. Every organisation's lock
    is taken first, in the order ``refresh`` takes them, so a write meanwhile waits instead of
    inserting a row this run inserts too."""
    _lock(Organisation.objects.all())
    facets.touch()
    CollectiveCount.objects.all().delete()
    return len(
        CollectiveCount.objects.bulk_create(_rows(Collective.objects.all()), batch_size=2000)
    )


def _moves(update_fields: Iterable[str] | None, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def _collective_saving(sender: Any, instance: Collective, raw: bool = False, **kwargs: Any) -> None:
    # Where the row counted before this save: the body it leaves must be recounted too.
    if raw or instance.pk is None or not _moves(kwargs.get("update_fields"), FACET_FIELDS):
        return
    instance._counted_as = (  # type: ignore[attr-defined]
        Collective.objects.filter(pk=instance.pk).values_list(*GROUP, *OTHER_FACETS).first()
    )


def _collective_saved(
    sender: Any, instance: Collective, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    before = instance.__dict__.pop("_counted_as", None)
    if raw or not _moves(kwargs.get("update_fields"), FACET_FIELDS):
        return
    now = tuple(getattr(instance, name) for name in (*GROUP, *OTHER_FACETS))
    if not created and before == now:
        return  # a profile edit: nothing counted or offered moved
    if created or before is None or before[: len(GROUP)] != now[: len(GROUP)]:
        refresh({instance.body_id, *((before[0],) if before else ())})  # touches the facets
    else:
        facets.touch()  # a move between towns, sectors or ownerships: the counts stay


def _collective_deleted(sender: Any, instance: Collective, **kwargs: Any) -> None:
    refresh([instance.body_id])  # touches the facets


def connect() -> None:
    uid = "collectives.counts"
    pre_save.connect(_collective_saving, sender=Collective, dispatch_uid=f"{uid}.saving")
    post_save.connect(_collective_saved, sender=Collective, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_collective_deleted, sender=Collective, dispatch_uid=f"{uid}.deleted")


# Reading --------------------------------------------------------------------------------------


def per_eligibility(
    body_ids: Iterable[int] | None, status: str = CollectiveStatus.ACTIVE
) -> dict[str, int]:
    """Collectives per eligibility in ``status``, over ``body_ids`` (None: every body)."""
    qs = kept(body_ids, status)
    return dict(qs.values("eligibility").annotate(t=Sum("n")).values_list("eligibility", "t"))


def kept(body_ids: Iterable[int] | None, status: str) -> Any:
    """The kept count rows of ``status`` over ``body_ids`` (None: every body), to sum."""
    qs = CollectiveCount.objects.filter(status=status).order_by()
    if body_ids is not None:
        qs = qs.filter(body_id__in=list(body_ids))
    return qs
