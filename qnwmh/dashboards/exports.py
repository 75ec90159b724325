"""The dashboard's numbers as one Excel workbook: a sheet per chart, exactly its bars (the
category, the count and the list behind it, then a grid's cells). A few hundred rows at most: built in the request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.audit.exports import Sheet, export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.dashboards.figures import Chart, Period


def chart_sheets(charts: Sequence[Chart], base_url: str = "") -> list[Sheet]:
    """One sheet per chart; Excel caps a sheet's name at 31 characters and wants it unique."""
    sheets: list[Sheet] = []
    used: set[str] = set()
    for chart in charts:
        name = chart.title[:28]
        while name in used:
            name = name[:27] + "_"
        used.add(name)
        # A grid's cells follow the three columns every sheet has, one per column category.
        header = [chart.axis, str(_("数量")), str(_("明细")), *(c.label for c in chart.columns)]
        rows: list[list[Any]] = [
            [bar.label, bar.value, base_url + bar.url, *(cell.value for cell in bar.cells)]
            for bar in chart.bars
        ]
        if chart.total is not None:  # a chart without a list to count has no total
            rows.append([str(_("合计")), chart.total, base_url + chart.list_url])
        if chart.reference_label:  # the second number goes last: the first three stay put
            header.append(chart.reference_label)
            for row, bar in zip(rows, chart.bars, strict=False):
                row.append(bar.reference)
        if chart.minimum:  # a bar short of the programme's least says so in words
            header.append(str(_("未达下限（%(n)s）") % {"n": chart.minimum}))
            for row, bar in zip(rows, chart.bars, strict=False):
                row.append("⚠" if bar.value < chart.minimum else "")
        sheets.append((name, header, rows))
    return sheets


def figures_xlsx(
    actor: Actor, period: Period, charts: Sequence[Chart], base_url: str = ""
) -> FileResponse:
    return export_xlsx(
        actor,
        code="dashboards.figures.exported",
        filename=str(_("数据看板")),
        sheets=chart_sheets(charts, base_url),
        filters={
            "cycle": period.cycle.code if period.cycle else "",
            "year": period.year,
            "charts": [c.key for c in charts] if len(charts) == 1 else "",
        },
    )
