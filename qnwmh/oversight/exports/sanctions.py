"""Excel of the sanctions and the rectification orders an actor sees, filtered as on the page;
large lists are built in the background."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.oversight.selectors.sanctions import (
    RectificationFilters,
    SanctionFilters,
    rectification_list,
    sanction_list,
)


def sanctions_export(actor: Actor, filters: SanctionFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=sanction_list(actor, filters).count(),
        label=_("处理记录"),
        run=sanctions_file,
        filters=filters,
    )


def sanctions_file(actor: Actor, *, filters: SanctionFilters) -> FileResponse:
    header = [
        str(_("组织管理机构")),
        str(_("集体")),
        str(_("称号编号")),
        str(_("处理方式")),
        str(_("撤销原因类别")),
        str(_("处理依据")),
        str(_("状态")),
        str(_("处理理由")),
        str(_("调整前星级")),
        str(_("调整后星级")),
        str(_("提出时间")),
        str(_("确认时间")),
    ]

    def rows() -> Iterator[list[Any]]:
        for s in sanction_list(actor, filters).iterator(chunk_size=2000):
            yield [
                s.collective.body.name,
                s.collective.name,
                s.title.code,
                s.get_kind_display(),
                s.get_category_display() if s.category else "",
                s.get_basis_display(),
                s.get_status_display(),
                s.reason,
                s.stars_before if s.stars_before is not None else "",
                s.stars_after if s.stars_after is not None else "",
                s.proposed_at,
                s.decided_at or "",
            ]

    return export_xlsx(
        actor,
        code="oversight.sanction.exported",
        filename="sanctions",
        sheets=[(str(_("处理记录")), header, rows())],
        filters=filters.as_dict(),
    )


def rectifications_export(actor: Actor, filters: RectificationFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=rectification_list(actor, filters).count(),
        label=_("整改记录"),
        run=rectifications_file,
        filters=filters,
    )


def rectifications_file(actor: Actor, *, filters: RectificationFilters) -> FileResponse:
    header = [
        str(_("组织管理机构")),
        str(_("集体")),
        str(_("称号编号")),
        str(_("整改依据")),
        str(_("整改要求")),
        str(_("整改期限")),
        str(_("状态")),
        str(_("逾期提交")),
        str(_("提交时间")),
        str(_("核查意见")),
    ]
    yes, no = str(_("是")), str(_("否"))

    def rows() -> Iterator[list[Any]]:
        for r in rectification_list(actor, filters).iterator(chunk_size=2000):
            yield [
                r.collective.body.name,
                r.collective.name,
                r.title.code,
                r.get_basis_display(),
                r.requirements,
                r.due_on,
                r.get_status_display(),
                yes if r.late else no,
                r.reported_at or "",
                r.verification_note,
            ]

    return export_xlsx(
        actor,
        code="oversight.rectification.exported",
        filename="rectifications",
        sheets=[(str(_("整改记录")), header, rows())],
        filters=filters.as_dict(),
    )
