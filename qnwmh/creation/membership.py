"""Creating collectives per cycle (``CreationMember``), kept current by the write paths.

A collective is creating in a cycle when it holds an active title (at any level, so in every
cycle) or has a counted registration in the cycle. The rows change with titles, registrations,
a collective's body or name, and entries (``required``); every such write reaches
``refresh`` in its own transaction through the receivers of ``creation.receivers``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from qnwmh.collectives.models import Collective, Title
from qnwmh.core.locking import lock
from qnwmh.creation.models import CreationMember, CreationTally
from qnwmh.creation.stamps import touch
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Registration


def refresh(collective_id: int, cycle_ids: Iterable[int] | None = None) -> None:
    """Recompute the collective's rows (of these cycles; all when ``None``) from its titles,
    registrations and tally. Locks the collective, as ``tallies.retally`` does, so two writers
    cannot each store a row that misses the other's change."""
    with transaction.atomic():
        collective = lock(Collective, collective_id)
        ids = list(Cycle.objects.values_list("id", flat=True)) if cycle_ids is None else cycle_ids
        ids = sorted(set(ids))
        titled = Title.objects.active().filter(collective_id=collective_id).exists()
        registered = set(
            Registration.objects.filter(
                collective_id=collective_id, cycle_id__in=ids, status__in=COUNTED_STATUSES
            ).values_list("cycle_id", flat=True)
        )
        creating = [y for y in ids if titled or y in registered]
        dropped = CreationMember.objects.filter(
            collective_id=collective_id, cycle_id__in=ids
        ).exclude(cycle_id__in=creating)
        changed = set(dropped.values_list("cycle_id", flat=True))
        dropped.delete()
        changed |= _store(collective, creating, titled, registered)
        # Only the cycles whose rows changed reach the summary's cache.
        touch(changed, [collective.body_id])


def _store(
    collective: Collective, creating: list[int], titled: bool, registered: set[int]
) -> set[int]:
    """Create or update the collective's rows of the ``creating`` cycles; the cycles changed."""
    if not creating:
        return set()
    required = dict(
        CreationTally.objects.filter(
            collective_id=collective.pk, cycle_id__in=creating
        ).values_list("cycle_id", "required")
    )
    kept = {
        m.cycle_id: m
        for m in CreationMember.objects.filter(collective_id=collective.pk, cycle_id__in=creating)
    }
    changed = set()
    for cycle_id in creating:
        values = {
            "body_id": collective.body_id,
            "sort_key": collective.sort_key,
            "titled": titled,
            "registered": cycle_id in registered,
            "required": required.get(cycle_id, 0),
        }
        row = kept.get(cycle_id)
        if row is None:
            CreationMember.objects.create(collective_id=collective.pk, cycle_id=cycle_id, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            CreationMember.objects.filter(pk=row.pk).update(**values)
        else:
            continue
        changed.add(cycle_id)
    return changed


def set_required(collective_id: int, cycle_id: int, required: int) -> None:
    """The entries changed (``tallies.retally``, which holds the collective's lock). Only a
    creating collective's rows reach the summary: its body's stamp changes."""
    row = (
        CreationMember.objects.filter(collective_id=collective_id, cycle_id=cycle_id)
        .values_list("id", "body_id", "required")
        .first()
    )
    if row is None:
        return
    if row[2] != required:
        CreationMember.objects.filter(pk=row[0]).update(required=required)
    touch([cycle_id], [row[1]])


def follow_collective(collective: Collective) -> None:
    """A collective saved: its rows carry its body and sort key (one UPDATE, usually none)."""
    stale = CreationMember.objects.filter(collective_id=collective.pk).filter(
        ~Q(body_id=collective.body_id) | ~Q(sort_key=collective.sort_key)
    )
    moved = list(stale.values_list("cycle_id", "body_id"))
    if moved:
        stale.update(body_id=collective.body_id, sort_key=collective.sort_key)
        touch({c for c, _ in moved}, {b for _, b in moved} | {collective.body_id})


def follow_collectives(ids: Iterable[int]) -> None:
    """Collectives changed in bulk (an import): copy body and sort key again, set-based."""
    ids = list(ids)
    if not ids:
        return
    rows = CreationMember.objects.filter(collective_id__in=ids)
    before = set(rows.values_list("cycle_id", "body_id"))
    source = Collective.objects.filter(pk=OuterRef("collective_id"))
    rows.update(
        body_id=Subquery(source.values("body_id")[:1]),
        sort_key=Subquery(source.values("sort_key")[:1]),
    )
    after = set(rows.values_list("cycle_id", "body_id"))
    touch({c for c, _ in before | after}, {b for _, b in before | after})
