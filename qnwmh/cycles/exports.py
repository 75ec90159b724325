"""Excel exports of the registration list and the quota table (openpyxl, write-only mode so
memory stays flat; rows come from the same scoped selectors as the pages)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qnwmh.accounts.actor import Actor
from qnwmh.core.labels import choice_label
from qnwmh.cycles.models import Cycle
from qnwmh.cycles.selectors import quota_table, registration_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def registrations_xlsx(actor: Actor, cycle: Cycle) -> HttpResponse:
    header = [
        str(_("报备编号")),
        str(_("集体")),
        str(_("组织管理机构")),
        str(_("镇区")),
        str(_("单位性质")),
        str(_("状态")),
        str(_("排序")),
        str(_("号长")),
        str(_("特别推荐")),
        str(_("资格")),
        str(_("报备时间")),
        str(_("初评意见")),
    ]
    from qnwmh.collectives.models import Ownership

    ownership = dict(Ownership.choices)

    def rows() -> Iterable[list[Any]]:
        for r in registration_list(actor, cycle).iterator(chunk_size=2000):
            yield [
                r.number,
                r.collective.name,
                r.body.name,
                r.town.name,
                str(ownership.get(r.ownership, "")),
                choice_label(r, "status"),
                r.rank,
                r.leader_name,
                str(_("是")) if r.special_recommendation else "",
                r.eligibility,
                r.filed_at.strftime("%Y-%m-%d %H:%M"),
                r.review_reason,
            ]

    return _response(
        _workbook(str(_("报备名单")), header, rows()), f"registrations-{cycle.session_no}.xlsx"
    )


def quotas_xlsx(actor: Actor, cycle: Cycle) -> HttpResponse:
    header = [
        str(_("组织管理机构")),
        str(_("基数类型")),
        str(_("基数")),
        str(_("计算名额")),
        str(_("调整后名额")),
        str(_("调整原因")),
        str(_("名额")),
        str(_("初评通过")),
        str(_("待初评")),
        str(_("特别推荐")),
        str(_("认定上限")),
    ]
    from qnwmh.programme.models import QuotaBase

    bases = dict(QuotaBase.choices)
    rows = [
        [
            q.body.name,
            str(bases.get(q.base_kind, q.base_kind)),
            q.base_value,
            q.computed,
            q.override,
            q.override_reason,
            q.final,
            q.used,
            q.pending,
            q.special,
            q.cap,
        ]
        for q in quota_table(actor, cycle)
    ]
    return _response(_workbook(str(_("名额表")), header, rows), f"quotas-{cycle.session_no}.xlsx")
