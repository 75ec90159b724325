"""Excel exports of the registration list and the quota table. Rows come from the same scoped
selectors as the pages and go through the one safe writer (``audit.exports.export_xlsx``):
audited, streamed, labels instead of codes, times in local time, text never a formula."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.collectives.models import Eligibility, Ownership
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.cycles.models import Cycle
from qnwmh.cycles.selectors import quota_table, registration_list
from qnwmh.programme.models import QuotaBase


def registrations_xlsx(actor: Actor, cycle: Cycle) -> HttpResponseBase:
    size = registration_list(actor, cycle).count()
    return inline_or_background(
        actor, size=size, label=_("报备名单"), run=registrations_file, cycle=cycle
    )


def registrations_file(actor: Actor, cycle: Cycle) -> FileResponse:
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
    ownership = dict(Ownership.choices)
    eligibility = dict(Eligibility.choices)

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
                str(eligibility.get(r.eligibility, r.eligibility)),
                r.filed_at,  # an aware datetime: the writer writes it in local time
                r.review_reason,
            ]

    return export_xlsx(
        actor,
        code="cycles.registration.exported",
        filename=f"registrations-{cycle.session_no}",
        sheets=[(str(_("报备名单")), header, rows())],
        filters={"cycle": cycle.session_no},
    )


def quotas_xlsx(actor: Actor, cycle: Cycle) -> FileResponse:
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
    return export_xlsx(
        actor,
        code="cycles.quota.exported",
        filename=f"quotas-{cycle.session_no}",
        sheets=[(str(_("名额表")), header, rows)],
        filters={"cycle": cycle.session_no},
    )
