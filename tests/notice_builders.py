"""Builders for the notice part's tests and matrix rows: a shortlist of the world's body with
its first entry inspected and on an open notice, and an objection to it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qnwmh.awards.models import EntryStatus, Inspection, InspectionOutcome, Objection, Shortlist
from tests import factories_awards as fa


def shortlist(body: Any, per_body: int = 4) -> Shortlist:
    r, _apps = fa.scored_round([body], per_body=per_body)
    return fa.shortlist(r)


def passed(entry: Any, by: Any) -> Inspection:
    return Inspection.objects.create(
        entry=entry,
        visited_on=timezone.localdate(),
        inspectors="张三",
        findings="符合条件。",
        outcome=InspectionOutcome.PASSED,
        recorded_by=by,
    )


def listed(s: Shortlist) -> Any:
    return s.entries.filter(status=EntryStatus.LISTED).order_by("city_position").first()


def objection(item: Any, **over: Any) -> Objection:
    values = {
        "contact_name": "王五",
        "contact_phone": "13800138000",
        "text": "服务窗口长期无人值守。",
        "due_on": timezone.localdate(),
    }
    values.update(over)
    return Objection.objects.create(item=item, **values)
