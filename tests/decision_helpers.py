"""A shortlist ready for the decision: every listed entry inspected (passed) and on a notice
that has ended — built straight from the awards factories, without other parts' services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.awards.models import EntryStatus, Inspection, InspectionOutcome, Shortlist
from tests import factories_awards as fa


def inspect(shortlist: Shortlist, outcome: str = InspectionOutcome.PASSED) -> None:
    for entry in shortlist.entries.filter(status=EntryStatus.LISTED):
        Inspection.objects.get_or_create(
            entry=entry,
            defaults={
                "visited_on": timezone.localdate() - datetime.timedelta(days=20),
                "inspectors": "张三、李四",
                "findings": "台账齐全，服务规范。",
                "outcome": outcome,
                "recorded_by": shortlist.frozen_by,
            },
        )


def ready_shortlist(bodies: Any = None, **kw: Any) -> Shortlist:
    """``fa.scored_round(bodies, **kw)``'s shortlist, inspected and noticed (ended)."""
    listed = kw.pop("listed", None)
    r, _apps = fa.scored_round(bodies, **kw)
    s = fa.shortlist(r, listed=listed)
    inspect(s)
    fa.ended_notice(s)
    return s


def listed_ids(shortlist: Shortlist, body: Any = None) -> list[int]:
    qs = shortlist.entries.filter(status=EntryStatus.LISTED)
    if body is not None:
        qs = qs.filter(body=body)
    return list(qs.order_by("city_position").values_list("id", flat=True))
