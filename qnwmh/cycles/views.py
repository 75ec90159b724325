from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qnwmh.collectives.selectors import filter_choices
from qnwmh.core.actions import attempt
from qnwmh.core.actor import actor_of
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.masking import shown_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can, require
from qnwmh.cycles import exports, services
from qnwmh.cycles.forms import CycleForm, HeadcountForm, OverrideForm, RegistrationForm
from qnwmh.cycles.models import (
    PHASE_TRANSITIONS,
    BodySubmission,
    Quota,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.selectors import (
    RegistrationFilters,
    cap_figures,
    cycle_detail,
    cycles_visible_to,
    fileable_collectives,
    previous_cycle,
    quota_table,
    quotas_visible_to,
    registration_detail,
    registration_list,
    town_view,
)
from qnwmh.orgs.models import Organisation
from qnwmh.orgs.selectors import bodies_visible_to


@login_required
def cycle_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, "cycles.view")
    return render(
        request,
        "cycles/list.html",
        {
            "cycles": cycles_visible_to(actor),
            "can_manage": can(actor, "cycles.manage"),
        },
    )


@login_required
def cycle_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, "cycles.manage")
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(actor, values=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("创建周期已建立。"))
            return redirect("cycles:detail", code=cycle.code)
    return render(request, "cycles/form.html", {"form": form})


@login_required
def cycle_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.manage")
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(
                actor, cycle=cycle, values={k: form.cleaned_data[k] for k in form.changed_data}
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("cycles:detail", code=cycle.code)
    return render(request, "cycles/form.html", {"form": form, "cycle": cycle})


@login_required
def cycle_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    can_manage = can(actor, "cycles.manage")
    caps = cap_figures(actor, cycle) if actor.is_staff_of_body else None
    return render(
        request,
        "cycles/detail.html",
        {
            "cycle": cycle,
            "caps": caps,
            "can_manage": can_manage,
            "moves": PHASE_TRANSITIONS.next_states(cycle),
            "can_file": cycle.is_registration_open and can(actor, "cycles.file"),
            "warnings": cycle.nonpublic_warnings.select_related("town") if can_manage else [],
        },
    )


@login_required
@require_POST
def cycle_move_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    to = request.POST.get("to", "")
    try:
        change = services.cycle_move(
            actor,
            cycle=cycle,
            to=to,
            force=bool(request.POST.get("force")),
            reason=request.POST.get("reason", "")[:500],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("周期已进入“%(p)s”阶段。") % {"p": change.cycle.get_phase_display()}
        )
        for w in change.warnings:
            messages.warning(request, w)
    return redirect("cycles:detail", code=cycle.code)


# Quotas ---------------------------------------------------------------------------------


@login_required
def quota_list_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    if not actor.is_staff_of_body:
        raise Http404
    return render(
        request,
        "cycles/quotas.html",
        {
            "cycle": cycle,
            "rows": quota_table(actor, cycle),
            "caps": cap_figures(actor, cycle),
            "can_manage": can(actor, "cycles.manage"),
        },
    )


def _quota(actor: Any, cycle: Any, quota_id: int) -> Quota:
    return get_object_or_404(quotas_visible_to(actor, cycle).select_related("cycle"), pk=quota_id)


@login_required
@require_POST
def quota_compute_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.manage")
    if not is_confirmed(request):
        return ask(
            request,
            _("按规则重新计算名额？各组织的计算名额将被覆盖（已调整的名额保留调整值）。"),
            back=reverse("cycles:quotas", args=[cycle.code]),
        )
    attempt(
        request, lambda: services.quotas_compute(actor, cycle=cycle), _("名额已按规则重新计算。")
    )
    return redirect("cycles:quotas", code=cycle.code)


@login_required
@require_POST
def quota_publish_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.manage")
    if not is_confirmed(request):
        return ask(
            request,
            _("公布名额？公布后各组织将收到通知，名额不能再重新计算。"),
            back=reverse("cycles:quotas", args=[cycle.code]),
        )
    attempt(
        request,
        lambda: services.quotas_publish(actor, cycle=cycle),
        _("名额已公布，各组织已收到通知。"),
    )
    return redirect("cycles:quotas", code=cycle.code)


@login_required
@require_POST
def quota_override_view(request: HttpRequest, code: str, quota_id: int) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    quota = _quota(actor, cycle, quota_id)
    form = OverrideForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写有效的名额和调整原因。"))
        services.quota_override(
            actor, quota=quota, value=form.cleaned_data["value"], reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("名额已调整。"))
    return redirect("cycles:quotas", code=cycle.code)


@login_required
@require_POST
def quota_headcount_view(request: HttpRequest, code: str, quota_id: int) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    quota = _quota(actor, cycle, quota_id)
    form = HeadcountForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写合理的青年人数。"))
        services.quota_set_headcount(actor, quota=quota, headcount=form.cleaned_data["headcount"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已保存。"))
    return redirect("cycles:quotas", code=cycle.code)


@login_required
def quota_export_view(request: HttpRequest, code: str) -> HttpResponseBase:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.export")
    return exports.quotas_xlsx(actor, cycle)


# Registrations --------------------------------------------------------------------------


@login_required
def registration_list_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    filters = RegistrationFilters.from_query(request.GET)
    own_bodies = []
    if actor.is_body_admin:
        subs = {
            s.body_id: s
            for s in BodySubmission.objects.filter(cycle=cycle, body_id__in=actor.body_ids)
        }
        accepted: dict[int, list[Registration]] = {}
        for reg in (
            Registration.objects.filter(
                cycle=cycle, body_id__in=actor.body_ids, status=RegistrationStatus.ACCEPTED
            )
            .select_related("collective")
            .order_by("rank", "number")
        ):
            accepted.setdefault(reg.body_id, []).append(reg)
        for q in quota_table(actor, cycle):
            q.submission = subs.get(q.body_id)
            q.accepted_regs = accepted.get(q.body_id, [])
            own_bodies.append(q)
    return render(
        request,
        "cycles/registrations.html",
        {
            "cycle": cycle,
            "filters": filters,
            "statuses": RegistrationStatus.choices,
            "page": paginate(request, registration_list(actor, cycle, filters)),
            "qs": querystring_without_page(request),
            "bodies": filter_choices(actor)["bodies"] if actor.is_staff_of_body else [],
            "own_bodies": own_bodies,
            "can_file": cycle.is_registration_open and can(actor, "cycles.file"),
            "can_export": can(actor, "cycles.export"),
        },
    )


@login_required
def registration_export_view(request: HttpRequest, code: str) -> HttpResponseBase:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.export")
    return exports.registrations_xlsx(actor, cycle)


def _leader_initial(collective: Any) -> dict[str, str]:
    """The roster's leader (号长) as the form's starting values."""
    leader = collective.members.current().filter(is_leader=True).first()
    return {"leader_name": leader.name, "leader_phone": leader.phone} if leader else {}


@login_required
def registration_create_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.file")
    collectives = fileable_collectives(actor, cycle)
    form = RegistrationForm(
        collectives, request.POST or None, can_recommend=can(actor, "cycles.recommend")
    )
    if request.method == "GET":
        chosen = (
            collectives.filter(code=request.GET["collective"][:20]).first()
            if request.GET.get("collective")
            else (collectives.first() if collectives.count() == 1 else None)
        )
        if chosen is not None:
            form.initial.update({"collective": chosen, **_leader_initial(chosen)})
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.registration_file(
                actor, cycle=cycle, collective=form.cleaned_data["collective"], values=form.values()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("报备已提交，编号 %(no)s，等待组织初评。") % {"no": filed.registration.number},
            )
            for w in filed.warnings:
                messages.warning(request, w)
            return redirect(
                "cycles:registration_detail", code=cycle.code, reg_code=filed.registration.code
            )
    return render(request, "cycles/registration_form.html", {"form": form, "cycle": cycle})


@login_required
def registration_detail_view(request: HttpRequest, code: str, reg_code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    reg = registration_detail(actor, cycle, reg_code)
    return render(
        request,
        "cycles/registration_detail.html",
        {
            "cycle": cycle,
            "r": reg,
            # One masking rule: the leader's phone as the roster shows it to this viewer.
            "leader_phone": shown_phone(
                reg.leader_phone, can(actor, "collectives.view_personal_data", reg.collective)
            ),
            "can_review": can(actor, "cycles.review", reg.body),
            "can_file": can(actor, "cycles.file", reg.collective),
            "can_recommend": can(actor, "cycles.recommend", reg.collective)
            and reg.status in services.SPECIAL_STATUSES,
        },
    )


@login_required
def registration_edit_view(request: HttpRequest, code: str, reg_code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    reg = registration_detail(actor, cycle, reg_code)
    require(actor, "cycles.file", reg.collective)
    form = RegistrationForm(
        None,
        request.POST or None,
        instance=reg,
        can_recommend=can(actor, "cycles.recommend", reg.collective),
    )
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.registration_resubmit(actor, registration=reg, values=form.values())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("报备已重新提交。"))
            for w in filed.warnings:
                messages.warning(request, w)
            return redirect("cycles:registration_detail", code=cycle.code, reg_code=reg.code)
    return render(
        request, "cycles/registration_form.html", {"form": form, "cycle": cycle, "r": reg}
    )


@login_required
@require_POST
def registration_review_view(request: HttpRequest, code: str, reg_code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    reg = registration_detail(actor, cycle, reg_code)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")[:500]
    if action == "accept" and not is_confirmed(request):
        require(actor, "cycles.review", reg.body)
        return ask(
            request,
            _("确认报备 %(no)s（%(name)s）通过初评？")
            % {"no": reg.number, "name": reg.collective.name},
            back=reverse("cycles:registration_detail", args=[cycle.code, reg.code]),
        )
    try:
        if action == "accept":
            services.registration_accept(actor, registration=reg)
            messages.success(request, _("报备 %(no)s 已通过初评。") % {"no": reg.number})
        elif action == "return":
            services.registration_return(actor, registration=reg, reason=reason)
            messages.success(request, _("报备 %(no)s 已退回修改。") % {"no": reg.number})
        elif action == "reject":
            services.registration_reject(actor, registration=reg, reason=reason)
            messages.success(request, _("报备 %(no)s 初评未通过。") % {"no": reg.number})
        else:
            raise DomainError(_("未知操作。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    nxt = request.POST.get("next", "")
    if nxt == "list":
        return redirect("cycles:registrations", code=cycle.code)
    return redirect("cycles:registration_detail", code=cycle.code, reg_code=reg.code)


@login_required
@require_POST
def registration_special_view(request: HttpRequest, code: str, reg_code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    reg = registration_detail(actor, cycle, reg_code)
    require(actor, "cycles.recommend", reg.collective)
    value = request.POST.get("value") == "1"
    try:
        services.registration_set_special(actor, registration=reg, value=value)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已将报备 %(no)s 列为特别推荐。") % {"no": reg.number}
            if value
            else _("已取消报备 %(no)s 的特别推荐。") % {"no": reg.number},
        )
    return redirect("cycles:registration_detail", code=cycle.code, reg_code=reg.code)


@login_required
@require_POST
def registration_withdraw_view(request: HttpRequest, code: str, reg_code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    reg = registration_detail(actor, cycle, reg_code)
    try:
        services.registration_withdraw(
            actor, registration=reg, reason=request.POST.get("reason", "")[:500]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("报备已撤回。"))
    return redirect("cycles:registration_detail", code=cycle.code, reg_code=reg.code)


# The bodies' lists ----------------------------------------------------------------------


def _own_body(actor: Any, body_id: int) -> Organisation:
    return get_object_or_404(bodies_visible_to(actor), pk=body_id)


@login_required
@require_POST
def submission_submit_view(request: HttpRequest, code: str, body_id: int) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    body = _own_body(actor, body_id)
    require(actor, "cycles.review", body)
    if not is_confirmed(request):
        return ask(
            request,
            _("将 %(body)s 初评通过的名单报送团市委？报送后不能再调整排序，除非团市委退回。")
            % {"body": body.name},
            back=reverse("cycles:registrations", args=[cycle.code]),
        )
    attempt(
        request,
        lambda: services.submission_submit(actor, cycle=cycle, body=body),
        _("名单已报送团市委。"),
    )
    return redirect("cycles:registrations", code=cycle.code)


@login_required
@require_POST
def submission_rank_view(request: HttpRequest, code: str, body_id: int) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    body = _own_body(actor, body_id)
    require(actor, "cycles.review", body)
    try:
        ranks = [(int(str(v)), k[5:]) for k, v in request.POST.items() if k.startswith("rank_")]
    except ValueError:
        ranks = []
    order = [c for _n, c in sorted(ranks)]
    try:
        if not order:
            raise DomainError(_("请为每个报备填写排序数字。"))
        services.registrations_rank(actor, cycle=cycle, body=body, order=order)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("排序已保存。"))
    return redirect("cycles:registrations", code=cycle.code)


@login_required
def submission_list_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.manage")
    return render(
        request,
        "cycles/submissions.html",
        {
            "cycle": cycle,
            "rows": quota_table(actor, cycle),
            "submissions": {s.body_id: s for s in BodySubmission.objects.filter(cycle=cycle)},
        },
    )


@login_required
@require_POST
def submission_decide_view(request: HttpRequest, code: str, body_id: int) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.manage")
    sub = get_object_or_404(BodySubmission, cycle=cycle, body_id=body_id)
    if request.POST.get("action") == "accept" and not is_confirmed(request):
        return ask(
            request,
            _("接收 %(body)s 报送的名单？接收后该组织初评通过的报备即转为备案，并通知各集体。")
            % {"body": sub.body.name},
            back=reverse("cycles:submissions", args=[cycle.code]),
        )
    try:
        if request.POST.get("action") == "accept":
            services.submission_accept(actor, submission=sub)
            messages.success(request, _("已接收该组织的报备名单。"))
        else:
            services.submission_return(
                actor, submission=sub, reason=request.POST.get("reason", "")[:500]
            )
            messages.success(request, _("已退回该组织的报备名单。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("cycles:submissions", code=cycle.code)


@login_required
def town_view_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    cycle = cycle_detail(actor, code)
    require(actor, "cycles.town_view")
    rows = town_view(cycle)
    from qnwmh.collectives.models import Ownership

    return render(
        request,
        "cycles/towns.html",
        {
            "cycle": cycle,
            "rows": rows,
            "previous": previous_cycle(cycle),
            "ownerships": Ownership.choices,
            "missing": [r for r in rows if not r.meets],
            "warnings": cycle.nonpublic_warnings.select_related("town"),
            "submitted_status": SubmissionStatus.SUBMITTED,
        },
    )
