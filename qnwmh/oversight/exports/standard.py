"""Excel files of the standard part: one standard (its items, then its marks) and the exits
list (scoped as the page is; large lists are built by the worker)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.oversight.models import Exit, Standard
from qnwmh.oversight.selectors.exits import published_category


def standard_xlsx(actor: Actor, s: Standard) -> FileResponse:
    """A standard is a few dozen rows: always built in the request."""
    items_header = [
        str(_("序号")),
        str(_("考核项目")),
        str(_("分值")),
        str(_("评分来源")),
        str(_("计算指标")),
        str(_("须提交佐证")),
        str(_("评分说明")),
    ]
    items = list(s.items.order_by("position"))

    def item_rows() -> Iterable[list[Any]]:
        for i in items:
            yield [
                i.position,
                i.label,
                i.points,
                choice_label(i, "source"),
                choice_label(i, "metric") if i.metric else "",
                str(_("是")) if i.evidence_required else "",
                i.guidance,
            ]

    marks_header = [str(_("项目")), str(_("分数"))]
    marks = [
        [str(_("总分")), sum(i.points for i in items)],
        [str(_("合格分")), s.pass_mark],
        [str(_("警告提醒分数线")), s.warning_mark],
        [str(_("调整星级分数线")), s.star_down_mark],
    ]
    return export_xlsx(
        actor,
        code="oversight.standard.exported",
        filename=f"standard-{s.year}-v{s.version}",
        sheets=[
            (str(_("考核项目")), items_header, item_rows()),
            (str(_("分数线")), marks_header, marks),
        ],
        filters={"standard": s.code},
    )


EXIT_HEADER = (
    _("集体"),
    _("所在单位"),
    _("组织管理机构"),
    _("所在镇区"),
    _("称号级别"),
    _("届次"),
    _("退出方式"),
    _("撤销类别"),
    _("退出日期"),
    _("退出原因"),
    _("牌匾收回日期"),
    _("牌匾收回情况"),
)


def exits_file(actor: Actor, *, qs: QuerySet[Exit], filters: dict[str, Any]) -> FileResponse:
    def rows() -> Iterable[list[Any]]:
        for e in qs.iterator(chunk_size=2000):
            yield [
                e.collective.name,
                e.collective.work_unit,
                e.collective.body.name,
                e.collective.town.name,
                choice_label(e.title, "level"),
                e.title.session_no,
                choice_label(e, "kind"),
                published_category(e) if e.revoking else "",
                e.on,
                e.reason,
                e.plaque_recovered_on,
                e.plaque_note,
            ]

    return export_xlsx(
        actor,
        code="oversight.exit.exported",
        filename="exits",
        sheets=[(str(_("退出")), [str(h) for h in EXIT_HEADER], rows())],
        filters=filters,
    )


def exits_xlsx(actor: Actor, qs: QuerySet[Exit], filters: dict[str, Any]) -> HttpResponseBase:
    return inline_or_background(
        actor, size=qs.count(), label=_("退出名单"), run=exits_file, qs=qs, filters=filters
    )
