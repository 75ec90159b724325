"""The dashboard page (the city's, or a body's over its subtree: the scope is the actor's) and
its Excel file, for a chosen cycle and year. Every number comes from ``figures.charts``."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.querystring import Query
from qnwmh.dashboards import report
from qnwmh.dashboards.exports import figures_xlsx
from qnwmh.dashboards.figures import Period, charts, year_choices
from qnwmh.dashboards.selectors import cycle_choices, period_from_query
from qnwmh.downloads.models import GeneratedFile


# Not marked ``replica_reads``: every number links to a list that reads the primary, and a
# replica lagging behind would let a bar disagree with the list it opens. The annual report,
# whose numbers link nowhere, is built by the worker and reads on the replica.
@guarded("dashboards.view")
@require_safe
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
@require_safe  # on the primary, as the page: its rows link to the lists (see above)
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


# The annual report --------------------------------------------------------------------------

REPORT_JOBS = (
    f"{report.report_pdf_file.__module__}.{report.report_pdf_file.__qualname__}",
    f"{report.report_xlsx_file.__module__}.{report.report_xlsx_file.__qualname__}",
)


def _report_year(request: ActorRequest) -> int:
    years = year_choices()
    year = Query(request.POST or request.GET).number("year", low=2000, high=2100)
    return year if year in years else years[0]


@guarded("dashboards.view")
@require_safe
def report_view(request: ActorRequest) -> HttpResponse:
    """Ask for a year's report; the files asked for before, with their build times."""
    files = GeneratedFile.objects.filter(owner=request.actor.user, job__in=REPORT_JOBS)
    return render(
        request,
        "dashboards/report.html",
        {
            "year": _report_year(request),
            "years": [(y, y) for y in year_choices()],
            "files": files.order_by("-created_at")[:20],
        },
    )


@guarded("dashboards.view")
@require_POST
def report_pdf_view(request: ActorRequest) -> HttpResponseBase:
    return report.annual_report_pdf(request.actor, _report_year(request))


@guarded("dashboards.view")
@require_POST
def report_xlsx_view(request: ActorRequest) -> HttpResponseBase:
    return report.annual_report_xlsx(request.actor, _report_year(request))
