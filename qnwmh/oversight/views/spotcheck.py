"""Back-office pages of the spot checks: the draws (list, draw form, detail with its strata),
the visits (list with filters and export, detail, plan, record on a phone, close, a visit
outside a draw) and the manager's own visits. After a failed visit the page links to the
sanctions part's forms with the visit preselected."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.collectives.models import Title
from qnwmh.core.actor import Actor
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import first_page, paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.oversight.exports.spotcheck import visits_export
from qnwmh.oversight.forms.spotcheck import DrawForm, PlanForm, RecordForm
from qnwmh.oversight.models import SpotCheck, Visit, VisitReason, VisitResult, VisitStatus
from qnwmh.oversight.selectors import spotcheck as sel
from qnwmh.oversight.services import spotcheck as services
from qnwmh.programme.models import ProgrammeRules


def _visit_url(visit: Visit) -> str:
    return reverse("oversight:visit", args=[visit.code])


# Draws ---------------------------------------------------------------------------------------


@guarded("oversight.view", check_first=True)
@require_safe
def spot_checks_view(request: ActorRequest) -> HttpResponse:
    checks = list(sel.spot_checks())
    counts = sel.visit_counts([c.id for c in checks])
    for c in checks:
        c.counts = counts.get(c.id, sel.VisitCounts())  # type: ignore[attr-defined]
    return render(
        request,
        "oversight/spotcheck/list.html",
        {
            "checks": checks,
            "can_draw": can(request.actor, "oversight.manage"),
        },
    )


@guarded("oversight.manage")
def spot_check_draw_view(request: ActorRequest) -> HttpResponse:
    year = timezone.localdate().year
    form = DrawForm(
        request.POST or None,
        initial={"year": year, "pct": ProgrammeRules.current().spot_check_pct},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.draw_year(
                request.actor,
                year=data["year"],
                pct=data["pct"],
                seed=data["seed"] or None,
                note=data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("已抽样，共 %(n)s 个走访待安排。") % {"n": check.visits.count()}
            )
            return redirect("oversight:spot_check", code=check.code)
    units, upheld, exempt = services.population(year)
    return render(
        request,
        "oversight/spotcheck/draw.html",
        {
            "form": form,
            "population": len(units),
            "upheld": len(upheld),
            "exempt": sel.exempt_titles(exempt),
        },
        status=400 if form.errors else 200,
    )


@guarded("oversight.view", load=sel.spot_check_detail, check_first=True)
@require_safe
def spot_check_view(request: ActorRequest, check: SpotCheck) -> HttpResponse:
    return render(
        request,
        "oversight/spotcheck/detail.html",
        {
            "c": check,
            "counts": sel.visit_counts([check.id]).get(check.id, sel.VisitCounts()),
            "strata": sel.strata_table(check),
            "population": sel.summary(check).size,
            "public_url": reverse("oversight_public:spot_check", args=[check.code]),
        },
    )


# Visits --------------------------------------------------------------------------------------


def _visit_filters_context(request: ActorRequest, filters: sel.VisitFilters) -> dict:
    years = sel.visit_years()
    if filters.year and filters.year not in years:
        # A dashboard's bar may open a year without a draw (visits outside one): the bar
        # still says which year it shows.
        years = sorted([*years, filters.year], reverse=True)
    return {
        "filters": filters,
        "years": years,
        "statuses": VisitStatus.choices,
        "results": sel.RESULT_CHOICES,
        "reasons": VisitReason.choices,
        "coverts": [("covert", _("暗访")), ("announced", _("明察"))],
        "bodies": sel.body_choices(request.actor),
        "qs": querystring_without_page(request),
    }


@guarded("oversight.view", check_first=True)
@require_safe
def visits_view(request: ActorRequest) -> HttpResponseBase:
    filters = sel.VisitFilters.from_query(request.GET)
    if request.GET.get("export") == "xlsx":
        return visits_export(request.actor, filters)
    visits = sel.visit_list(request.actor, filters)
    if first_page(request):
        # One statement: the first page's rows with their joins (see ``visit_rows``).
        page = paginate(request, sel.visit_rows(visits))
    else:
        # A later page finds its ids index-only first: the offset skips no joined rows.
        page = paginate(request, visits.values_list("id", flat=True))
        page.object_list = sel.visits_in_order(list(page.object_list))
    return render(
        request,
        "oversight/spotcheck/visits.html",
        {"page": page, **_visit_filters_context(request, filters)},
    )


@guarded("oversight.own_visits", check_first=True)
@require_safe
def my_visits_view(request: ActorRequest) -> HttpResponse:
    page = paginate(request, sel.visit_list(request.actor, sel.VisitFilters()))
    return render(request, "oversight/spotcheck/my_visits.html", {"page": page})


@guarded("oversight.see_visit", load=sel.visit_detail, check_first=True)
@require_safe
def visit_view(request: ActorRequest, visit: Visit) -> HttpResponse:
    actor = request.actor
    inspector = can(actor, "oversight.inspect", visit.collective)
    failed = visit.result == VisitResult.FAILED and inspector
    return render(
        request,
        "oversight/spotcheck/visit.html",
        {
            "v": visit,
            "inspector": inspector,
            "checklist": dict(services.CHECKLIST),
            # Inspectors' photos: never to the collective's managers (evidence hides them too).
            "files": list(visit.evidence.all()) if inspector else [],
            "follow_up": _follow_up(actor, visit) if failed else None,
        },
    )


def _follow_up(actor: Actor, visit: Visit) -> dict[str, str]:
    """Links to the sanctions forms with this visit preselected (they read
    ``?title=&visit=``), those the reader may use."""
    query = f"?title={visit.title.code}&visit={visit.code}"
    forms = {
        "rectify": ("oversight:rectification_order", "oversight.order_rectification"),
        "propose": ("oversight:sanction_propose", "oversight.propose_sanction"),
        "impose": ("oversight:sanction_impose", "oversight.impose_sanction"),
    }
    return {
        key: reverse(name) + query
        for key, (name, rule) in forms.items()
        if can(actor, rule, visit.collective)
    }


@guarded("oversight.inspect", load=sel.visit_detail, of="collective")
def visit_plan_view(request: ActorRequest, visit: Visit) -> HttpResponse:
    form = PlanForm(
        request.POST or None,
        initial={"planned_on": visit.planned_on or timezone.localdate(), "covert": visit.covert},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan(request.actor, visit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("走访计划已保存。"))
            return redirect(_visit_url(visit))
    return render(
        request,
        "oversight/spotcheck/plan.html",
        {"v": visit, "form": form},
        status=400 if form.errors else 200,
    )


@guarded("oversight.inspect", load=sel.visit_detail, of="collective")
def visit_record_view(request: ActorRequest, visit: Visit) -> HttpResponse:
    form = RecordForm(request.POST or None)
    if request.method == "GET" and visit.status == VisitStatus.RECORDED:
        form.initial.update(
            visited_on=visit.visited_on,
            inspectors=visit.inspectors,
            result=visit.result,
            summary=visit.summary,
        )
        form.initial_from(visit.findings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record(
                request.actor,
                visit,
                visited_on=data["visited_on"],
                inspectors=data["inspectors"],
                findings=form.findings(),
                summary=data["summary"],
                result=data["result"],
                evidence=request.FILES.getlist("evidence"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("走访结果已记录。"))
            return redirect(_visit_url(visit))
    return render(
        request,
        "oversight/spotcheck/record.html",
        {"v": visit, "form": form, "max_files": services.MAX_FILES},
        status=400 if form.errors else 200,
    )


@guarded("oversight.inspect", load=sel.visit_detail, of="collective", back=_visit_url)
@require_POST
def visit_close_view(request: ActorRequest, visit: Visit) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("办结对 %(c)s 的走访？办结后记录不能再修改，集体将收到结论。")
            % {"c": visit.collective.name},
            back=_visit_url(visit),
        )
    services.close(request.actor, visit)
    messages.success(request, _("走访已办结。"))
    return redirect(_visit_url(visit))


def _title(actor: object, title_code: str) -> Title:
    return get_object_or_404(sel.inspectable_titles(actor), code=title_code)  # type: ignore[arg-type]


@guarded("oversight.inspect", load=_title, of="collective")
def visit_new_view(request: ActorRequest, title: Title) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"planned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.adhoc(request.actor, title=title, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已新增走访。"))
            return redirect(_visit_url(visit))
    return render(
        request,
        "oversight/spotcheck/new_visit.html",
        {"t": title, "form": form},
        status=400 if form.errors else 200,
    )
