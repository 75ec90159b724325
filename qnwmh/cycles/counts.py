"""Kept counts of registrations (``RegistrationCount``): how they are kept and how they are read.

Kept: every save or delete of a registration recounts its body's rows in that cycle inside
the writer's transaction (model signals, so no service can forget); the one bulk status
change (a body's accepted list filed at once) calls ``refresh`` itself. A registration's
cycle and body never change after it is filed, so the body it names is the only one whose
rows move. Bulk loads that bypass both (the demo, the bench generators) end with
``rebuild`` (``manage.py rebuild_registration_counts``).

Read: ``summed``, ``by_town``, ``totals`` and ``per_status`` sum the rows, a few hundred at
most per cycle whatever the number of registrations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from qnwmh.cycles.models import Registration, RegistrationCount
from qnwmh.orgs.models import Organisation

GROUP = ("cycle_id", "body_id", "town_id", "ownership", "status", "special_recommendation")


def _rows(registrations: Any) -> list[RegistrationCount]:
    return [
        RegistrationCount(
            cycle_id=g["cycle_id"],
            body_id=g["body_id"],
            town_id=g["town_id"],
            ownership=g["ownership"],
            status=g["status"],
            special=g["special_recommendation"],
            n=g["n"],
        )
        for g in registrations.order_by().values(*GROUP).annotate(n=Count("id"))
    ]


@transaction.atomic
def refresh(cycle_id: int, body_id: int) -> None:
    """Recount the body's registrations in the cycle. The body's row is locked first, so
    two writers for one body recount one after the other (unlocked, both would insert the
    same first row). ``no_key``: the lock only orders the recounts, and must not stop others
    from writing rows that refer to the body (a foreign-key check's key-share lock)."""
    list(Organisation.objects.select_for_update(no_key=True).filter(pk=body_id).values("pk"))
    RegistrationCount.objects.filter(cycle_id=cycle_id, body_id=body_id).delete()
    RegistrationCount.objects.bulk_create(
        _rows(Registration.objects.filter(cycle_id=cycle_id, body_id=body_id))
    )


@transaction.atomic
def rebuild(cycle_id: int | None = None) -> int:
    """Recompute every row (of one cycle, or all) from the registrations; the rows written."""
    kept = RegistrationCount.objects.all()
    registrations = Registration.objects.all()
    if cycle_id is not None:
        kept = kept.filter(cycle_id=cycle_id)
        registrations = registrations.filter(cycle_id=cycle_id)
    kept.delete()
    return len(RegistrationCount.objects.bulk_create(_rows(registrations), batch_size=2000))


def _registration_changed(
    sender: Any, instance: Registration, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        refresh(instance.cycle_id, instance.body_id)


def connect() -> None:
    uid = "cycles.counts"
    post_save.connect(_registration_changed, sender=Registration, dispatch_uid=f"{uid}.saved")
    post_delete.connect(_registration_changed, sender=Registration, dispatch_uid=f"{uid}.deleted")


# Reading --------------------------------------------------------------------------------------


def counts(cycle_id: int, **filters: Any) -> Any:
    return RegistrationCount.objects.filter(cycle_id=cycle_id, **filters).order_by()


def summed(
    cycle_id: int,
    *,
    body: str | None = None,
    statuses: Iterable[str] = (),
    special: bool | None = None,
) -> RawSQL:
    """The registrations of the cycle (of the body in the outer query's column ``body``,
    e.g. ``"cycles_quota"."body_id"``, when given) with one of ``statuses`` (any when empty)
    and ``special``, as a subquery that a query over bodies annotates (NULL when none match):
    one walk of the (cycle, body, …) index per row. Plain SQL: the same through the ORM
    (filter, values, annotate, Subquery) costs about a millisecond of Python per figure."""
    where = ["cycle_id = %s"]
    params: list[Any] = [cycle_id]
    if body is not None:
        where.append(f"body_id = {body}")
    wanted = list(statuses)
    if wanted:
        where.append(f"status IN ({', '.join(['%s'] * len(wanted))})")
        params.extend(wanted)
    if special is not None:
        where.append("special = %s")
        params.append(special)
    table = RegistrationCount._meta.db_table
    return RawSQL(f"SELECT SUM(n) FROM {table} WHERE {' AND '.join(where)}", params, IntegerField())


def by_town_and_ownership(cycle_id: int, statuses: Iterable[str]) -> list[tuple[int, str, int]]:
    return list(
        counts(cycle_id, status__in=list(statuses))
        .values("town_id", "ownership")
        .annotate(t=Sum("n"))
        .values_list("town_id", "ownership", "t")
    )


def by_town(cycle_id: int, statuses: Iterable[str], ownership: str) -> dict[int, int]:
    return dict(
        counts(cycle_id, status__in=list(statuses), ownership=ownership)
        .values("town_id")
        .annotate(t=Sum("n"))
        .values_list("town_id", "t")
    )


def totals(cycle_id: int, statuses: Iterable[str]) -> dict[str, int]:
    """``n`` and ``special`` over the whole cycle."""
    got = counts(cycle_id, status__in=list(statuses)).aggregate(
        total=Sum("n"), with_special=Sum("n", filter=Q(special=True))
    )
    return {"n": got["total"] or 0, "special": got["with_special"] or 0}


def per_status(cycle_id: int, body_ids: Iterable[int] | None) -> dict[str, int]:
    """Registrations per status in the cycle, over ``body_ids`` (None: every body)."""
    qs = counts(cycle_id)
    if body_ids is not None:
        qs = qs.filter(body_id__in=list(body_ids))
    return dict(qs.values("status").annotate(t=Sum("n")).values_list("status", "t"))
