"""Pages of the certification round and its applications: the round (windows, states), the
lists (the collective's own, the body's with its ranking, the city's with filters and Excel
export), the application with its self-assessment, completeness and history, and the
one-shot actions (submit, recommend, return, withdraw)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.labels import action_label
from qnwmh.audit.selectors import history_of
from qnwmh.certification import progress
from qnwmh.certification.exports import applications as exports
from qnwmh.certification.forms.applications import (
    ApplicationCreateForm,
    AssessmentForm,
    RecommendForm,
    RoundForm,
)
from qnwmh.certification.models import (
    LIVE_APPLICATION_STATUSES,
    ROUND_TRANSITIONS,
    Application,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
)
from qnwmh.certification.selectors.applications import (
    ApplicationFilters,
    appliable_collectives,
    application_in_round,
    application_rows,
    body_ranking,
    completeness,
    filter_options,
    round_counts,
    round_detail,
    rounds_visible_to,
    test_result,
    test_results,
)
from qnwmh.certification.services import applications as services
from qnwmh.certification.services import round as round_services
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.programme.models import Dimension


def _round_url(r: CertificationRound) -> str:
    return reverse("certification:round", args=[r.code])


def _app_url(app: Application) -> str:
    return reverse("certification:application", args=[app.round.code, app.code])


# The round --------------------------------------------------------------------------------------


@guarded("certification.view")
@require_safe
def rounds_view(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "certification/applications/rounds.html",
        {"rounds": rounds_visible_to(request.actor)},
    )


@guarded("certification.view", load=round_detail)
@require_safe
def round_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    actor = request.actor
    manage = can(actor, "certification.manage_round")
    return render(
        request,
        "certification/applications/round.html",
        {
            "r": r,
            "counts": round_counts(actor, r),
            "can_manage": manage,
            "moves": ROUND_TRANSITIONS.next_states(r) if manage else [],
            "appliable": appliable_collectives(actor, r)
            if r.status == RoundStatus.APPLICATIONS
            else [],
            "pending": round_services.unrecommended_count(r) if manage else 0,
            "owed": round_services.unfinished_sheet_count(r) if manage else 0,
            "unplaced": round_services.unplaced_count(r) if manage else 0,
        },
    )


@guarded("certification.manage_round", load=round_detail)
def round_edit_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    form = RoundForm(request.POST or None, instance=r)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.round_update(
                request.actor,
                round=r,
                values={k: form.cleaned_data[k] for k in form.changed_data},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_round_url(r))
    return render(request, "certification/applications/round_form.html", {"form": form, "r": r})


@guarded("certification.manage_round", load=round_detail, back=_round_url)
@require_POST
def round_move_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    moved = round_services.round_move(
        request.actor,
        round=r,
        to=request.POST.get("to", ""),
        force=bool(request.POST.get("force")),
        reason=request.POST.get("reason", "")[:500],
    )
    messages.success(
        request, _("评选认定已进入“%(s)s”。") % {"s": RoundStatus(moved.round.status).label}
    )
    if moved.pending:
        messages.warning(request, moved.pending)
    return redirect(_round_url(r))


@guarded("certification.manage_round", load=round_detail, back=_round_url)
@require_POST
def round_areas_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    placed = round_services.round_assign_areas(request.actor, round=r)
    messages.success(request, _("已为 %(n)s 份申报按镇区划入评审片区。") % {"n": placed})
    return redirect(_round_url(r))


# Lists ------------------------------------------------------------------------------------------


@guarded("certification.view", load=round_detail)
@require_safe
def applications_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    actor = request.actor
    filters = ApplicationFilters.from_query(request.GET)
    page = paginate(request, application_rows(actor, r, filters))
    page.object_list = apps = list(page.object_list)
    results = test_results(r, apps)
    for a in apps:
        a.test = results.get(a.collective_id)
    return render(
        request,
        "certification/applications/list.html",
        {
            "r": r,
            "filters": filters,
            "statuses": ApplicationStatus.choices,
            "stages": progress.choices(),
            "options": filter_options(actor, r) if actor.is_staff_of_body else {},
            "page": page,
            "qs": querystring_without_page(request),
            "ranking": body_ranking(actor, r),
            "can_export": can(actor, "certification.export"),
            "can_apply": r.status == RoundStatus.APPLICATIONS
            and appliable_collectives(actor, r).exists(),
        },
    )


@guarded("certification.export", load=round_detail)
@require_safe
def application_export_view(request: ActorRequest, r: CertificationRound) -> HttpResponseBase:
    return exports.applications_xlsx(request.actor, r, ApplicationFilters.from_query(request.GET))


# One application --------------------------------------------------------------------------------


def _any_collective(_r: CertificationRound) -> None:
    """certification.apply asked in general: may this actor apply for some collective."""
    return None


@guarded("certification.apply", load=round_detail, of=_any_collective)
def application_create_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    actor = request.actor
    collectives = appliable_collectives(actor, r)
    form = ApplicationCreateForm(collectives, request.POST or None)
    if request.method == "GET" and collectives.count() == 1:
        form.initial["collective"] = collectives.first()
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(
                actor, round=r, collective=form.cleaned_data["collective"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("申报已建立，请填写自评后提交。"))
            return redirect("certification:application_edit", code=r.code, app_code=app.code)
    return render(request, "certification/applications/create.html", {"form": form, "r": r})


@guarded(load=application_in_round)
@require_safe
def application_view(request: ActorRequest, app: Application) -> HttpResponse:
    actor = request.actor
    live = app.status in LIVE_APPLICATION_STATUSES
    may_recommend = can(actor, "certification.recommend", app)
    return render(
        request,
        "certification/applications/detail.html",
        {
            "r": app.round,
            "a": app,
            "rows": completeness(app),
            "result": test_result(app),
            "history": [(e, action_label(e.code)) for e in history_of(app)],
            "can_edit": app.editable and can(actor, "certification.apply", app.collective),
            "can_recommend": may_recommend and app.status == ApplicationStatus.SUBMITTED,
            "can_return": may_recommend
            and app.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED),
            "can_withdraw": live and can(actor, "certification.withdraw", app),
            "body_decides": app.round.status == RoundStatus.APPLICATIONS,
        },
    )


def _picks(app: Application) -> dict[str, Any]:
    chosen = {
        a.dimension: (
            {e.code for e in a.entries.all()},
            {f.code for f in a.files.all()},
        )
        for a in app.assessments.prefetch_related("entries", "files")
    }
    entries = list(services.own_entries(app).order_by("-occurred_on", "-id"))
    files = list(services.own_files(app).order_by("-uploaded_at", "-id"))
    return {
        "dimensions": [
            {
                "value": value,
                "label": label,
                "entries": [(e, e.code in chosen.get(value, ((), ()))[0]) for e in entries],
                "files": [(f, f.code in chosen.get(value, ((), ()))[1]) for f in files],
            }
            for value, label in Dimension.choices
        ]
    }


def _initial(app: Application) -> dict[str, str]:
    out = {"statement": app.statement}
    for a in app.assessments.all():
        out[f"text_{a.dimension}"] = a.text
    return out


@guarded("certification.apply", load=application_in_round, of="collective")
def application_edit_view(request: ActorRequest, app: Application) -> HttpResponse:
    if not app.editable:
        messages.error(request, _("申报已提交，不能再修改。"))
        return redirect(_app_url(app))
    form = AssessmentForm(request.POST or None, initial=_initial(app))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save(
                request.actor,
                application=app,
                statement=form.cleaned_data["statement"],
                assessments=form.assessments(request.POST),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("自评已保存。"))
            return redirect(_app_url(app))
    context = {"form": form, "r": app.round, "a": app, **_picks(app)}
    for d in context["dimensions"]:
        d["field"] = form[f"text_{d['value']}"]
    return render(request, "certification/applications/edit.html", context)


@guarded("certification.apply", load=application_in_round, of="collective", back=_app_url)
@require_POST
def application_submit_view(request: ActorRequest, app: Application) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("提交申报？提交后不能再修改，除非组织退回。"),
            back=_app_url(app),
        )
    services.application_submit(request.actor, application=app)
    messages.success(request, _("申报已提交，等待组织推荐。"))
    return redirect(_app_url(app))


@guarded("certification.recommend", load=application_in_round, back=_app_url)
@require_POST
def application_recommend_view(request: ActorRequest, app: Application) -> HttpResponse:
    form = RecommendForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写推荐意见和推荐排序（正整数）。"))
    services.application_recommend(
        request.actor,
        application=app,
        text=form.cleaned_data["recommendation"],
        rank=form.cleaned_data["rank"],
    )
    messages.success(request, _("已推荐该申报。"))
    return redirect(_app_url(app))


@guarded("certification.recommend", load=application_in_round, back=_app_url)
@require_POST
def application_return_view(request: ActorRequest, app: Application) -> HttpResponse:
    services.application_return(
        request.actor, application=app, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("申报已退回修改。"))
    return redirect(_app_url(app))


@guarded("certification.withdraw", load=application_in_round, back=_app_url)
@require_POST
def application_withdraw_view(request: ActorRequest, app: Application) -> HttpResponse:
    services.application_withdraw(
        request.actor, application=app, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("申报已撤回。"))
    return redirect(_app_url(app))
