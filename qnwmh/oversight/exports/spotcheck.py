"""Excel of the visits list (the filters of the page), in the background past
``EXPORT_INLINE_ROWS`` rows. Scoped as the list: a manager's export never holds a covert
visit still open."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.oversight.selectors.spotcheck import VisitFilters, visit_list


def header() -> list[str]:
    return [
        _("集体"),
        _("组织管理机构"),
        _("镇区"),
        _("抽检年度"),
        _("抽检原因"),
        _("暗访"),
        _("状态"),
        _("计划日期"),
        _("走访日期"),
        _("检查人员"),
        _("检查结论"),
        _("检查结论说明"),
    ]


def rows(actor: Actor, filters: VisitFilters) -> Iterator[list[Any]]:
    yes, no = _("是"), _("否")
    for v in visit_list(actor, filters).iterator(chunk_size=2000):
        yield [
            v.collective.name,
            v.collective.body.name,
            v.collective.town.name,
            v.spot_check.year if v.spot_check else "",
            choice_label(v, "reason"),
            yes if v.covert else no,
            choice_label(v, "status"),
            v.planned_on or "",
            v.visited_on or "",
            v.inspectors,
            choice_label(v, "result") if v.result else "",
            v.summary,
        ]


def visits_export(actor: Actor, filters: VisitFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=visit_list(actor, filters).count(),
        label=_("走访"),
        run=visits_file,
        filters=asdict(filters),
    )


def visits_file(actor: Actor, *, filters: dict[str, Any]) -> FileResponse:
    f = VisitFilters(**filters)
    return export_xlsx(
        actor,
        code="oversight.visits.exported",
        filename="visits",
        sheets=[(_("明察暗访"), header(), rows(actor, f))],
        filters={k: v for k, v in filters.items() if v},
    )
