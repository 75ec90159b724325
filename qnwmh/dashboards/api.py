"""The dashboard figures as JSON (``/api/v1/dashboards/...``), for the same scope as the pages:
the same ``figures.charts`` the page draws, each bar with the list URL it counts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from qnwmh.core.apischema import CodeStr, api_actor, errors
from qnwmh.core.permissions import require
from qnwmh.dashboards.figures import charts
from qnwmh.dashboards.selectors import period_from_query

router = Router(tags=["dashboards"])


class DashboardCellOut(Schema):
    key: str
    value: int
    url: str


class DashboardBarOut(Schema):
    key: str
    label: str
    value: int
    url: str
    # The chart's second number for this category (``reference_label``), or null.
    reference: int | float | None
    # The list the reference counts (last year's register), or empty where it is a limit.
    reference_url: str
    # A grid's cells, one per chart column, each with the list it counts; empty otherwise.
    cells: list[DashboardCellOut]


class DashboardColumnOut(Schema):
    key: str
    label: str


class DashboardChartOut(Schema):
    key: str
    title: str
    section: str
    axis: str
    # The count of the list the bars break down; null where no list counts it.
    total: int | None
    # What each bar's ``reference`` is (a quota, last year's count); empty when none.
    reference_label: str
    # The least each bar should reach by the programme's rules (towns' non-public
    # collectives), or null; a bar whose value is below it falls short.
    minimum: int | None
    bars: list[DashboardBarOut]
    # A grid's second dimension (the months of a heatmap); empty for a bar chart.
    columns: list[DashboardColumnOut]
    column_axis: str
    draw: str


class DashboardFiguresOut(Schema):
    cycle: str | None
    year: int
    charts: list[DashboardChartOut]


@router.get("/figures", response={200: DashboardFiguresOut, **errors(403)})
def figures(
    request: HttpRequest,
    cycle: CodeStr | None = Query(None),  # noqa: B008
    year: int | None = Query(None, ge=2000, le=2100),
    chart: str = Query("", max_length=40),
) -> dict[str, Any]:
    """Every chart (or the one named by ``chart``) for a cycle (its code; default the current
    one) and a year (default this year; the six latest are offered)."""
    actor = api_actor(request)
    require(actor, "dashboards.view")
    period = period_from_query(actor, {"cycle": cycle or "", "year": year or ""})
    found = charts(actor, period, [chart] if chart else ())
    return {
        "cycle": period.cycle.code if period.cycle else None,
        "year": period.year,
        "charts": [
            {
                "key": c.key,
                "title": c.title,
                "section": c.section,
                "axis": c.axis,
                "total": c.total,
                "reference_label": c.reference_label,
                "minimum": c.minimum,
                "bars": [{**vars(b), "cells": [vars(x) for x in b.cells]} for b in c.bars],
                "columns": [vars(x) for x in c.columns],
                "column_axis": c.column_axis,
                "draw": c.draw,
            }
            for c in found
        ],
    }
