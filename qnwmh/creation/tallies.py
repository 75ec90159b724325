"""Compliance tallies (``CreationTally``): what the compliance pages count, per collective and
cycle, so that they read one row per collective whatever the size of the log.

``retally`` recounts one collective's entries of one cycle (a few dozen rows). The services
call it inside the transaction of every change to an entry, after locking the collective, so
two concurrent writers cannot both store a count that misses the other's entry. ``rebuild``
(``creation.rebuild``) recomputes them, the month counts and the memberships set-based:
``manage.py rebuild_tallies`` uses it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth

from qnwmh.collectives.models import Collective
from qnwmh.core.locking import lock
from qnwmh.creation.membership import set_required
from qnwmh.creation.models import (
    REQUIRED_KINDS,
    CreationMonth,
    CreationTally,
    EntryKind,
    LogEntry,
)


def month_key(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def count(collective_id: int, cycle_id: int) -> tuple[int, dict[str, int]]:
    """(required activities, open weeks by month) of one collective's log in one cycle."""
    entries = LogEntry.objects.filter(
        collective_id=collective_id, cycle_id=cycle_id, evidence_count__gt=0
    )
    weeks: dict[str, int] = defaultdict(int)
    for day in entries.filter(kind=EntryKind.OPEN_WEEK).values_list("occurred_on", flat=True):
        weeks[month_key(day)] += 1
    return entries.filter(kind__in=REQUIRED_KINDS).count(), dict(sorted(weeks.items()))


def retally(collective_id: int, cycle_id: int) -> CreationTally | None:
    """Recount one collective's tally, month counts and membership count for one cycle; call
    inside the changing transaction. A pair with nothing counted keeps no tally."""
    lock(Collective, collective_id)
    required, weeks = count(collective_id, cycle_id)
    tally = None
    if required or weeks:
        tally, _ = CreationTally.objects.update_or_create(
            collective_id=collective_id,
            cycle_id=cycle_id,
            defaults={"required": required, "open_weeks": weeks},
        )
    else:
        CreationTally.objects.filter(collective_id=collective_id, cycle_id=cycle_id).delete()
    CreationMonth.objects.filter(collective_id=collective_id, cycle_id=cycle_id).delete()
    CreationMonth.objects.bulk_create(
        CreationMonth(
            collective_id=collective_id,
            cycle_id=cycle_id,
            month=datetime.date.fromisoformat(f"{key}-01"),
            weeks=n,
        )
        for key, n in weeks.items()
    )
    set_required(collective_id, cycle_id, required)
    return tally


def rebuild_from_log(
    cycle_id: int | None = None,
    *,
    entry_model: Any = LogEntry,
    tally_model: Any = CreationTally,
    batch_size: int = 5_000,
) -> int:
    """Recompute every tally (of one cycle, if given) from the log; returns how many. Kept
    for migration 0003 (its historical models); everything else uses ``rebuild``."""
    entries = entry_model.objects.filter(evidence_count__gt=0).order_by()
    if cycle_id is not None:
        entries = entries.filter(cycle_id=cycle_id)
    required = {
        (cid, yid): n
        for cid, yid, n in entries.filter(kind__in=REQUIRED_KINDS)
        .values_list("collective_id", "cycle_id")
        .annotate(n=Count("id"))
        .iterator(chunk_size=10_000)
    }
    weeks: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for cid, yid, month, n in (
        entries.filter(kind=EntryKind.OPEN_WEEK)
        .annotate(month=TruncMonth("occurred_on"))
        .values_list("collective_id", "cycle_id", "month")
        .annotate(n=Count("id"))
        .iterator(chunk_size=10_000)  # one row per collective, cycle and month: stream them
    ):
        weeks[(cid, yid)][month_key(month)] = n
    keys = sorted(set(required) | set(weeks))
    with transaction.atomic():
        stale = tally_model.objects.all()
        if cycle_id is not None:
            stale = stale.filter(cycle_id=cycle_id)
        stale.delete()  # derived rows, recomputed below from the log that stays
        tally_model.objects.bulk_create(
            (
                tally_model(
                    collective_id=cid,
                    cycle_id=yid,
                    required=required.get((cid, yid), 0),
                    open_weeks=dict(sorted(weeks.get((cid, yid), {}).items())),
                )
                for cid, yid in keys
            ),
            batch_size=batch_size,
        )
    return len(keys)


def rebuild(cycle_id: int | None = None) -> int:
    """Every derived creation row (of one cycle, if given), set-based; returns the tallies."""
    from qnwmh.creation.rebuild import rebuild_all

    return rebuild_all(cycle_id)
