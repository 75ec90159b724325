"""City staff's pages of the reviewers part: review areas, the expert pool, panels per round and
area, the automatic draw, manual assignment and cancelling, and declared conflicts. Every page
is the city's: other roles are refused before anything is looked up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.certification.conflicts import reason_labels
from qnwmh.certification.forms.reviewers import (
    AreaForm,
    DrawForm,
    ManualAssignForm,
    PanelForm,
    ReasonForm,
    ReviewerCreateForm,
    ReviewerEditForm,
)
from qnwmh.certification.models import (
    Application,
    Assignment,
    AssignmentStatus,
    CertificationRound,
    ReviewArea,
    Reviewer,
)
from qnwmh.certification.selectors import reviewers as sel
from qnwmh.certification.services import assignment as assigning
from qnwmh.certification.services import reviewers as pool
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page

MANAGE = "certification.manage_reviewers"


# Review areas ---------------------------------------------------------------------------------


@guarded(MANAGE, check_first=True)
def area_list_view(request: ActorRequest) -> HttpResponse:
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool.area_create(request.actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已新建片区。"))
            return redirect("certification:areas")
    return render(
        request,
        "certification/reviewers/areas.html",
        {
            "form": form,
            "areas": sel.areas(),
            "rounds": CertificationRound.objects.select_related("cycle"),
        },
    )


@guarded(MANAGE, load=sel.area_detail, check_first=True)
def area_edit_view(request: ActorRequest, area: ReviewArea) -> HttpResponse:
    initial = {
        "name": area.name,
        "towns": list(area.towns.all()),
        "sort_order": area.sort_order,
        "active": area.active,
    }
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pool.area_update(request.actor, area=area, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("certification:areas")
    return render(request, "certification/reviewers/area_form.html", {"form": form, "area": area})


# The expert pool ------------------------------------------------------------------------------


@guarded(MANAGE, check_first=True)
@require_safe
def reviewer_list_view(request: ActorRequest) -> HttpResponse:
    filters = sel.PoolFilters.from_query(request.GET)
    return render(
        request,
        "certification/reviewers/pool.html",
        {
            "page": paginate(request, sel.reviewer_list(filters)),
            "qs": querystring_without_page(request),
            "filters": filters,
            "areas": ReviewArea.objects.all(),
        },
    )


@guarded(MANAGE, check_first=True)
def reviewer_create_view(request: ActorRequest) -> HttpResponse:
    form = ReviewerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["areas"] = list(data["areas"])
        try:
            reviewer, password = pool.reviewer_create(request.actor, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            # The temporary password is shown once, on this page, to be handed over.
            return render(
                request,
                "certification/reviewers/created.html",
                {"reviewer": reviewer, "password": password},
            )
    return render(request, "certification/reviewers/reviewer_form.html", {"form": form})


@guarded(MANAGE, load=sel.reviewer_detail, check_first=True)
def reviewer_edit_view(request: ActorRequest, reviewer: Reviewer) -> HttpResponse:
    initial = {
        "expertise": reviewer.expertise,
        "employer": reviewer.employer,
        "body": reviewer.body,
        "town": reviewer.town,
        "areas": list(reviewer.areas.all()),
        "active": reviewer.active,
    }
    form = ReviewerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["areas"] = list(data["areas"])
        try:
            pool.reviewer_update(request.actor, reviewer=reviewer, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("certification:reviewers")
    return render(
        request,
        "certification/reviewers/reviewer_form.html",
        {"form": form, "reviewer": reviewer},
    )


@guarded(MANAGE, check_first=True)
@require_safe
def conflict_list_view(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "certification/reviewers/conflicts.html",
        {"page": paginate(request, sel.declarations()), "qs": querystring_without_page(request)},
    )


# Panels and the draw, per round ---------------------------------------------------------------


@guarded(MANAGE, load=sel.round_detail, check_first=True)
@require_safe
def panels_view(request: ActorRequest, rnd: CertificationRound) -> HttpResponse:
    return render(
        request,
        "certification/reviewers/panels.html",
        {
            "round": rnd,
            "overview": sel.round_overview(rnd),
            "per_app": rnd.cycle.rule("reviewers_per_application"),
            "draw_form": DrawForm(),
        },
    )


@guarded(MANAGE, load=sel.round_area, check_first=True)
def panel_edit_view(
    request: ActorRequest, found: tuple[CertificationRound, ReviewArea]
) -> HttpResponse:
    rnd, area = found
    panel = rnd.panels.filter(area=area).first()
    form = PanelForm(area, panel, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            pool.panel_save(
                request.actor, round=rnd, area=area, **{**data, "members": list(data["members"])}
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("评审组已保存。"))
            return redirect("certification:panels", code=rnd.code)
    return render(
        request,
        "certification/reviewers/panel_form.html",
        {"form": form, "round": rnd, "area": area, "panel": panel},
    )


def _panels_url(rnd: CertificationRound) -> str:
    return reverse("certification:panels", args=[rnd.code])


@guarded(MANAGE, load=sel.round_detail, back=_panels_url, check_first=True)
@require_POST
def draw_view(request: ActorRequest, rnd: CertificationRound) -> HttpResponse:
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择片区，种子须为非负整数。"))
        return redirect(_panels_url(rnd))
    record = assigning.draw(request.actor, round=rnd, **form.cleaned_data)
    messages.success(
        request,
        _("已为 %(n)s 份申报分配 %(m)s 人次评委，随机种子 %(seed)s。")
        % {
            "n": record.summary["applications"],
            "m": record.summary["assignments"],
            "seed": record.seed,
        },
    )
    return redirect(_panels_url(rnd))


@guarded(MANAGE, load=sel.round_detail, check_first=True)
@require_safe
def assignments_view(request: ActorRequest, rnd: CertificationRound) -> HttpResponse:
    filters = sel.AssignmentFilters.from_query(request.GET)
    return render(
        request,
        "certification/reviewers/assignments.html",
        {
            "round": rnd,
            "page": paginate(request, sel.round_assignments(rnd, filters)),
            "qs": querystring_without_page(request),
            "filters": filters,
            "areas": ReviewArea.objects.all(),
            "statuses": AssignmentStatus.choices,
            "live": {AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED},
            "applications": sel.applications_to_assign(rnd),
            "per_app": rnd.cycle.rule("reviewers_per_application"),
        },
    )


@guarded(MANAGE, load=sel.round_application, check_first=True)
def assign_view(request: ActorRequest, app: Application) -> HttpResponse:
    candidates = sel.candidates_for(app)
    ids = [r.pk for r, _why in candidates]
    form = ManualAssignForm(Reviewer.objects.filter(pk__in=ids), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assigning.assign(request.actor, application=app, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已分配，已通知评委。"))
            return redirect("certification:assignments", code=app.round.code)
    rows: list[tuple[Reviewer, Any]] = [(r, reason_labels(why)) for r, why in candidates]
    return render(
        request,
        "certification/reviewers/assign.html",
        {
            "app": app,
            "form": form,
            "candidates": rows,
            "current": app.assignments.select_related("reviewer__user"),
        },
    )


@guarded(MANAGE, load=sel.staff_assignment, check_first=True)
def assignment_cancel_view(request: ActorRequest, a: Assignment) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assigning.cancel(request.actor, assignment=a, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已撤销该评审分配。"))
            return redirect("certification:assignments", code=a.application.round.code)
    return render(request, "certification/reviewers/cancel.html", {"form": form, "assignment": a})
