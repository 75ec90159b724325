"""The dashboard page (the city's, or a body's over its subtree: the scope is the actor's) and
its Excel file, for a chosen cycle and year. Every number comes from ``figures.charts``."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.replica import replica_reads
from qnwmh.dashboards.exports import figures_xlsx
from qnwmh.dashboards.figures import Period, charts, year_choices
from qnwmh.dashboards.selectors import cycle_choices, period_from_query


@guarded("dashboards.view")
@require_safe
@replica_reads
def dashboard_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    period = period_from_query(actor, request.GET)
    found = charts(actor, period)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "period": period,
            "sections": [
                (name, list(items)) for name, items in groupby(found, lambda c: c.section)
            ],
            "cycles": [(c.code, c) for c in cycle_choices(actor)],
            "years": [(y, y) for y in year_choices()],
            "period_qs": _period_query(period),
        },
    )


@guarded("dashboards.view")
@require_safe
@replica_reads
def dashboard_export_view(request: ActorRequest) -> HttpResponseBase:
    """All the charts, or the one named by ``chart``."""
    actor = request.actor
    period = period_from_query(actor, request.GET)
    key = request.GET.get("chart", "")
    found = charts(actor, period, [key] if key else ())
    return figures_xlsx(actor, period, found, request.build_absolute_uri("/")[:-1])


def _period_query(period: Period) -> str:
    cycle = period.cycle.code if period.cycle else ""
    return urlencode({"cycle": cycle, "year": period.year})
