"""Back-office pages of partnerships: joint projects and mentor pairs (list with Excel,
proposal, detail) and their one-shot acts (confirm, return, a milestone done, an activity
recorded, close). Every check is the services'; the pages offer only the legal next acts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.scope import in_scope
from qnwmh.creation.selectors import current_cycle
from qnwmh.partnerships import selectors as sel
from qnwmh.partnerships import services
from qnwmh.partnerships.exports import pairs_export, projects_export
from qnwmh.partnerships.forms import (
    ActivityForm,
    CloseForm,
    JointForm,
    MilestoneForm,
    OutcomeForm,
    PairForm,
    ReasonForm,
)
from qnwmh.partnerships.models import JointCreation, MentorPair, Status
from qnwmh.partnerships.policy import RULES


def _joint_url(p: JointCreation) -> str:
    return reverse("partnerships:joint", args=[p.code])


def _pair_url(p: MentorPair) -> str:
    return reverse("partnerships:pair", args=[p.code])


def _list(request: ActorRequest, rows: Any, template: str, export: Any) -> HttpResponseBase:
    actor = request.actor
    filters = sel.Filters.from_query(request.GET)
    if request.GET.get("format") == "xlsx":
        return export(actor, filters)
    return render(
        request,
        template,
        {
            "page": paginate(request, rows(actor, filters)),
            "filters": filters,
            "statuses": Status.choices,
            "bodies": sel.filter_bodies(actor),
            "qs": querystring_without_page(request),
            "can_propose": can(actor, "partnerships.propose", None),
        },
    )


# Joint creation -------------------------------------------------------------------------------


@guarded("partnerships.view", check_first=True)
@require_safe
def joints_view(request: ActorRequest) -> HttpResponseBase:
    return _list(request, sel.project_list, "partnerships/joints.html", projects_export)


@guarded("partnerships.propose", check_first=True)
def joint_propose_view(request: ActorRequest) -> HttpResponse:
    form = JointForm(sel.titled_collectives(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            p = services.joint_propose(
                request.actor,
                name=data["name"],
                goal=data["goal"],
                partners=list(data["partners"]),
                milestones=data["milestones"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("号号联创项目已提交市级确认。"))
            return redirect(_joint_url(p))
    return render(
        request,
        "partnerships/joint_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _joint_page(
    request: ActorRequest, p: JointCreation, status: int = 200, **forms: Form
) -> HttpResponse:
    actor = request.actor
    proposed = p.status == Status.PROPOSED and can(actor, "partnerships.confirm", None)
    active = p.status == Status.ACTIVE
    run = active and can(actor, "partnerships.run_joint", p)
    milestones = list(p.milestones.prefetch_related("evidence"))
    return render(
        request,
        "partnerships/joint.html",
        {
            "p": p,
            "partners": list(p.partners.all()),
            "milestones": milestones,
            "max_photos": RULES.max_photos,
            "decide": proposed,
            "reason_form": forms.get("reason_form") or ReasonForm(),
            "milestone_form": (forms.get("milestone_form") or MilestoneForm()) if run else None,
            "open_milestones": [m for m in milestones if m.done_on is None] if run else [],
            "close_form": (forms.get("close_form") or OutcomeForm())
            if active and can(actor, "partnerships.close_joint", p)
            else None,
        },
        status=status,
    )


@guarded("partnerships.view", load=sel.project_detail, check_first=True)
@require_safe
def joint_view(request: ActorRequest, project: JointCreation) -> HttpResponse:
    return _joint_page(request, project)


@guarded("partnerships.confirm", load=sel.project_detail, back=_joint_url, check_first=True)
@require_POST
def joint_confirm_view(request: ActorRequest, project: JointCreation) -> HttpResponse:
    if not is_confirmed(request):
        return ask(request, _("确认后不能再退回。确定确认？"), back=_joint_url(project))
    services.joint_confirm(request.actor, project)
    messages.success(request, _("号号联创项目已确认。"))
    return redirect(_joint_url(project))


@guarded("partnerships.confirm", load=sel.project_detail, back=_joint_url, check_first=True)
@require_POST
def joint_return_view(request: ActorRequest, project: JointCreation) -> HttpResponse:
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.joint_return(request.actor, project, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("号号联创项目已退回。"))
            return redirect(_joint_url(project))
    return _joint_page(request, project, status=400, reason_form=form)


@guarded("partnerships.run_joint", load=sel.project_detail, back=_joint_url)
@require_POST
def milestone_done_view(request: ActorRequest, project: JointCreation, number: int) -> HttpResponse:
    milestone = sel.milestone_of(project, number)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_done(
                request.actor,
                project,
                milestone,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                files=request.FILES.getlist("files"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("节点完成情况已登记。"))
            return redirect(_joint_url(project))
    return _joint_page(request, project, status=400, milestone_form=form)


@guarded("partnerships.close_joint", load=sel.project_detail, back=_joint_url)
@require_POST
def joint_close_view(request: ActorRequest, project: JointCreation) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if form.is_valid():
        if not is_confirmed(request):
            return ask(request, _("结束后不能再登记节点。确定结束？"), back=_joint_url(project))
        try:
            services.joint_close(request.actor, project, outcome=form.cleaned_data["outcome"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("号号联创项目已结束。"))
            return redirect(_joint_url(project))
    return _joint_page(request, project, status=400, close_form=form)


# Mentor pairs ------------------------------------------------------------------------------------


@guarded("partnerships.view", check_first=True)
@require_safe
def pairs_view(request: ActorRequest) -> HttpResponseBase:
    return _list(request, sel.pair_list, "partnerships/pairs.html", pairs_export)


@guarded("partnerships.propose", check_first=True)
def pair_propose_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    cycle = current_cycle()
    mentees = (
        in_scope(sel.registered_collectives(cycle), actor, body="body_id")
        if cycle
        else sel.titled_collectives().none()
    )
    form = PairForm(sel.titled_collectives(), mentees, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            p = services.pair_propose(
                actor, mentor=data["mentor"], mentee=data["mentee"], plan=data["plan"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("新老结对已提交市级确认。"))
            return redirect(_pair_url(p))
    return render(
        request,
        "partnerships/pair_form.html",
        {"form": form, "cycle": cycle},
        status=400 if form.errors else 200,
    )


def _pair_page(
    request: ActorRequest, p: MentorPair, status: int = 200, **forms: Form
) -> HttpResponse:
    actor = request.actor
    active = p.status == Status.ACTIVE
    return render(
        request,
        "partnerships/pair.html",
        {
            "p": p,
            "activities": list(p.activities.prefetch_related("photos")),
            "max_photos": RULES.max_photos,
            "decide": p.status == Status.PROPOSED and can(actor, "partnerships.confirm", None),
            "reason_form": forms.get("reason_form") or ReasonForm(),
            "activity_form": (forms.get("activity_form") or ActivityForm())
            if active and can(actor, "partnerships.record_activity", p)
            else None,
            "close_form": (forms.get("close_form") or CloseForm())
            if active and can(actor, "partnerships.review_pair", p)
            else None,
        },
        status=status,
    )


@guarded("partnerships.view", load=sel.pair_detail, check_first=True)
@require_safe
def pair_view(request: ActorRequest, pair: MentorPair) -> HttpResponse:
    return _pair_page(request, pair)


@guarded("partnerships.confirm", load=sel.pair_detail, back=_pair_url, check_first=True)
@require_POST
def pair_confirm_view(request: ActorRequest, pair: MentorPair) -> HttpResponse:
    if not is_confirmed(request):
        return ask(request, _("确认后不能再退回。确定确认？"), back=_pair_url(pair))
    services.pair_confirm(request.actor, pair)
    messages.success(request, _("新老结对已确认。"))
    return redirect(_pair_url(pair))


@guarded("partnerships.confirm", load=sel.pair_detail, back=_pair_url, check_first=True)
@require_POST
def pair_return_view(request: ActorRequest, pair: MentorPair) -> HttpResponse:
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.pair_return(request.actor, pair, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("新老结对已退回。"))
            return redirect(_pair_url(pair))
    return _pair_page(request, pair, status=400, reason_form=form)


@guarded("partnerships.record_activity", load=sel.pair_detail, back=_pair_url)
@require_POST
def activity_record_view(request: ActorRequest, pair: MentorPair) -> HttpResponse:
    form = ActivityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            a = services.activity_record(
                request.actor,
                pair,
                name=data["name"],
                occurred_on=data["occurred_on"],
                place=data["place"],
                participants=data["participants"] or 0,
                description=data["description"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("活动已登记，并记入 %(n)s 个集体的创建日志。") % {"n": a.logged},
            )
            return redirect(_pair_url(pair))
    return _pair_page(request, pair, status=400, activity_form=form)


@guarded("partnerships.review_pair", load=sel.pair_detail, back=_pair_url)
@require_POST
def pair_close_view(request: ActorRequest, pair: MentorPair) -> HttpResponse:
    form = CloseForm(request.POST)
    if form.is_valid():
        if not is_confirmed(request):
            return ask(request, _("结束后不能再登记活动。确定结束？"), back=_pair_url(pair))
        try:
            services.pair_close(
                request.actor,
                pair,
                review=form.cleaned_data["review"],
                rating=form.cleaned_data["rating"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("结对已结束。"))
            return redirect(_pair_url(pair))
    return _pair_page(request, pair, status=400, close_form=form)
