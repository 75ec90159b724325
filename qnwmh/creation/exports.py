"""Excel export of compliance: one row per creating collective the actor may see, read in
batches of a page each (two grouped queries per batch)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from qnwmh.accounts.actor import Actor
from qnwmh.creation.selectors import compliance_for, creating_collectives, cycle_months
from qnwmh.cycles.models import Cycle

BATCH = 500


def compliance_workbook(actor: Actor, cycle: Cycle) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("创建合规"))
    months = cycle_months(cycle)
    ws.append(
        [
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
    )
    qs = creating_collectives(actor, cycle).select_related("body", "town").order_by("id")
    last = 0
    while True:
        batch = list(qs.filter(id__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].id
        for row in compliance_for(batch, cycle):
            c = row.collective
            ws.append(
                [
                    c.name,
                    c.body.name,
                    c.town.name,
                    _("是") if row.registered else _("否"),
                    _("是") if row.titled else _("否"),
                    row.required_count,
                    row.required_needed,
                    (_("是") if row.required_ok else _("否")) if row.registered else "—",
                    row.missing_months,
                    *[
                        (cell.count if cell.status != "missing" else f"{cell.count} ✗")
                        for cell in row.months
                    ],
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
