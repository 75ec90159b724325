"""Excel export of compliance: one row per creating collective the actor may see, read in
batches of a page each (two grouped queries per batch), written by the one safe writer
(``audit.exports.export_xlsx``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.creation.selectors import compliance_for, creating_collectives, cycle_months
from qnwmh.cycles.models import Cycle

BATCH = 500


def compliance_export(actor: Actor, cycle: Cycle) -> HttpResponseBase:
    size = creating_collectives(actor, cycle).count()
    return inline_or_background(
        actor, size=size, label=_("创建合规"), run=compliance_file, cycle=cycle
    )


def compliance_file(actor: Actor, cycle: Cycle) -> FileResponse:
    months = cycle_months(cycle)
    header = [
        _("集体"),
        _("组织管理机构"),
        _("镇区"),
        _("本周期报备"),
        _("持有称号"),
        _("规定活动（有佐证）"),
        _("规定活动要求"),
        _("规定活动达标"),
        _("缺开放周月份数"),
        *[f"{m:%Y-%m}" for m in months],
    ]
    return export_xlsx(
        actor,
        code="creation.compliance.exported",
        filename=f"compliance-{cycle.session_no}",
        sheets=[(_("创建合规"), header, _rows(actor, cycle))],
        filters={"cycle": cycle.session_no},
    )


def _rows(actor: Actor, cycle: Cycle) -> Iterator[list[Any]]:
    yes, no = _("是"), _("否")
    qs = creating_collectives(actor, cycle).select_related("body", "town").order_by("id")
    last = 0
    while True:
        batch = list(qs.filter(id__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].id
        for row in compliance_for(batch, cycle):
            c = row.collective
            yield [
                c.name,
                c.body.name,
                c.town.name,
                yes if row.registered else no,
                yes if row.titled else no,
                row.required_count,
                row.required_needed,
                (yes if row.required_ok else no) if row.registered else "—",
                row.missing_months,
                *[
                    (cell.count if cell.status != "missing" else f"{cell.count} ✗")
                    for cell in row.months
                ],
            ]
