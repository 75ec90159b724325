"""The annual report: the dashboard's figures for a year as a PDF (charts drawn server-side as
SVG bars, no JavaScript) and the same tables as one Excel workbook, with the year's new titles,
sanctions and exits as tables, and its typical cases (``dashboards.cases``). Always built by
the worker (``core.background``: its progress page, the bell when ready, the file kept in
``downloads`` with its build time); the numbers are ``figures.charts``, as on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.exports import Sheet, export_xlsx
from qnwmh.audit.services import log_action
from qnwmh.collectives.models import Title
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.background import counted, inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.core.pdf import html_to_pdf
from qnwmh.cycles.models import Cycle
from qnwmh.cycles.selectors import cycles_visible_to
from qnwmh.dashboards.cases import cases
from qnwmh.dashboards.exports import chart_sheets
from qnwmh.dashboards.figures import Chart, Period, charts
from qnwmh.oversight.selectors.exits import ExitFilters, exit_list
from qnwmh.oversight.selectors.sanctions import SanctionFilters, sanction_list

# SVG geometry of one chart (points): a band per bar, labels on the left.
BAND, LABEL_W, BAR_W = 16, 150, 300


@dataclass(frozen=True)
class SvgBar:
    y: int
    text_y: int
    width: float
    label: str
    value: int
    value_x: float
    # The chart's reference for this bar (a quota, last year's count) and its length.
    reference: int | None = None
    reference_width: float = 0.0


def svg_bars(chart: Chart) -> dict[str, Any]:
    """What ``dashboards/report/_chart.svg`` draws: each bar's band and length, with its
    reference, if any, as a lighter bar behind it on the same scale."""
    top = max((max(b.value, b.reference or 0) for b in chart.bars), default=0) or 1

    def length(n: int | None) -> float:
        return round(BAR_W * (n or 0) / top, 1)

    bars = [
        SvgBar(
            y=i * BAND + 2,
            text_y=i * BAND + 12,
            width=length(b.value),
            label=b.label,
            value=b.value,
            value_x=LABEL_W + max(length(b.value), length(b.reference)) + 4,
            reference=b.reference,
            reference_width=length(b.reference),
        )
        for i, b in enumerate(chart.bars)
    ]
    return {
        "bars": bars,
        "height": max(len(bars), 1) * BAND + 4,
        "width": LABEL_W + BAR_W + 60,
        "label_w": LABEL_W,
    }


def cycle_of_year(actor: Actor, year: int) -> Cycle | None:
    """The cycle whose registration fell in ``year`` (else whose certification did)."""
    visible = cycles_visible_to(actor).order_by("-session_no")
    return (
        visible.filter(registration_year=year).first()
        or visible.filter(certification_year=year).first()
    )


def new_titles(actor: Actor, year: int) -> QuerySet[Title]:
    return (
        Title.objects.filter(collective__in=collectives_visible_to(actor), awarded_on__year=year)
        .select_related("collective__body")
        .order_by("level", "collective__sort_key")
    )


def _period(actor: Actor, year: int) -> Period:
    return Period(cycle=cycle_of_year(actor, year), year=year)


def _label(year: int) -> str:
    return _("%(year)d 年度报告") % {"year": year}


# Starting (the view calls these) ------------------------------------------------------------
# Atomic: the request is audited with the job it queues, or neither is kept.


@transaction.atomic
def annual_report_pdf(actor: Actor, year: int) -> HttpResponseBase:
    log_action(actor, None, "dashboards.report.requested", data={"year": year, "format": "pdf"})
    return inline_or_background(
        actor, size=1, limit=0, label=_label(year) + " PDF", run=report_pdf_file, year=year
    )


@transaction.atomic
def annual_report_xlsx(actor: Actor, year: int) -> HttpResponseBase:
    log_action(actor, None, "dashboards.report.requested", data={"year": year, "format": "xlsx"})
    return inline_or_background(
        actor, size=1, limit=0, label=_label(year) + " Excel", run=report_xlsx_file, year=year
    )


# Building (the worker runs these) -----------------------------------------------------------


def _charts(actor: Actor, year: int) -> list[Chart]:
    return list(counted(charts(actor, _period(actor, year))))


def report_pdf_file(actor: Actor, year: int) -> HttpResponse:
    found = _charts(actor, year)
    sections: list[tuple[str, list[tuple[Chart, dict[str, Any]]]]] = []
    for chart in found:
        if not sections or sections[-1][0] != chart.section:
            sections.append((chart.section, []))
        sections[-1][1].append((chart, svg_bars(chart)))
    period = _period(actor, year)
    html = render_to_string(
        "dashboards/report/annual.html",
        {
            "year": year,
            "cycle": period.cycle,
            "sections": sections,
            "titles": list(counted(new_titles(actor, year))),
            "sanctions": list(counted(sanction_list(actor, SanctionFilters(year=year)))),
            "exits": list(counted(exit_list(actor, ExitFilters(year=year)))),
            "cases": list(counted(cases(actor, year))),
            "generated_at": timezone.localtime(),
            "scope": _("全市") if actor.is_city_admin else _("本组织及下级组织"),
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.pdf"'
    return response


def report_xlsx_file(actor: Actor, year: int) -> FileResponse:
    found = _charts(actor, year)
    titles: Sheet = (
        str(_("新授称号")),
        [
            str(_("集体")),
            str(_("组织管理机构")),
            str(_("级别")),
            str(_("星级")),
            str(_("授予日期")),
        ],
        (
            [
                t.collective.name,
                t.collective.body.name,
                choice_label(t, "level"),
                t.stars,
                t.awarded_on,
            ]
            for t in new_titles(actor, year)
        ),
    )
    sanctions: Sheet = (
        str(_("处理")),
        [
            str(_("集体")),
            str(_("组织管理机构")),
            str(_("处理方式")),
            str(_("状态")),
            str(_("提出时间")),
        ],
        (
            [
                s.collective.name,
                s.collective.body.name,
                choice_label(s, "kind"),
                choice_label(s, "status"),
                timezone.localdate(s.proposed_at),
            ]
            for s in sanction_list(actor, SanctionFilters(year=year))
        ),
    )
    exits: Sheet = (
        str(_("退出")),
        [str(_("集体")), str(_("组织管理机构")), str(_("退出方式")), str(_("退出日期"))],
        (
            [e.collective.name, e.collective.body.name, choice_label(e, "kind"), e.on]
            for e in exit_list(actor, ExitFilters(year=year))
        ),
    )
    typical: Sheet = (
        str(_("典型案例")),
        [
            str(_("标题")),
            str(_("集体")),
            str(_("组织管理机构")),
            str(_("发布日期")),
            str(_("摘要")),
        ],
        (
            [c.heading, c.collective, c.body, c.published_on, c.excerpt]
            for c in cases(actor, year, photos=False)
        ),
    )
    return export_xlsx(
        actor,
        code="dashboards.report.exported",
        filename=f"annual-report-{year}",
        sheets=[*chart_sheets(found), titles, sanctions, exits, typical],
        filters={"year": year},
    )
