"""Excel of the joint projects and the mentor pairs an actor sees, filtered as on the page;
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
from qnwmh.partnerships.selectors import Filters, pair_list, project_list


def projects_export(actor: Actor, filters: Filters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=project_list(actor, filters).count(),
        label=_("号号联创"),
        run=projects_file,
        filters=filters,
    )


def projects_file(actor: Actor, *, filters: Filters) -> FileResponse:
    header = [
        str(_("项目名称")),
        str(_("提出单位")),
        str(_("联创集体")),
        str(_("状态")),
        str(_("联创目标")),
        str(_("联创成效")),
        str(_("提出时间")),
        str(_("确认时间")),
        str(_("结束时间")),
    ]

    def rows() -> Iterator[list[Any]]:
        for p in project_list(actor, filters).iterator(chunk_size=500):
            yield [
                p.name,
                p.body.name,
                "、".join(c.name for c in p.partners.all()),
                p.get_status_display(),
                p.goal,
                p.outcome,
                p.proposed_at,
                p.decided_at or "",
                p.closed_at or "",
            ]

    return export_xlsx(
        actor,
        code="partnerships.joint.exported",
        filename="joint-creation",
        sheets=[(str(_("号号联创")), header, rows())],
        filters=filters.as_dict(),
    )


def pairs_export(actor: Actor, filters: Filters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=pair_list(actor, filters).count(),
        label=_("新老结对"),
        run=pairs_file,
        filters=filters,
    )


def pairs_file(actor: Actor, *, filters: Filters) -> FileResponse:
    header = [
        str(_("结对导师集体")),
        str(_("结对创建集体")),
        str(_("提出单位")),
        str(_("创建周期")),
        str(_("状态")),
        str(_("约定活动")),
        str(_("评价结论")),
        str(_("结对总结评价")),
        str(_("提出时间")),
        str(_("结束时间")),
    ]

    def rows() -> Iterator[list[Any]]:
        for p in pair_list(actor, filters).iterator(chunk_size=2000):
            yield [
                p.mentor.name,
                p.mentee.name,
                p.body.name,
                str(p.cycle),
                p.get_status_display(),
                p.plan,
                p.get_rating_display() if p.rating else "",
                p.review,
                p.proposed_at,
                p.closed_at or "",
            ]

    return export_xlsx(
        actor,
        code="partnerships.pair.exported",
        filename="mentor-pairs",
        sheets=[(str(_("新老结对")), header, rows())],
        filters=filters.as_dict(),
    )
