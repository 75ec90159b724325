from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qnwmh.collectives.models import Ownership
from qnwmh.collectives.selectors import filter_choices
from qnwmh.core.actor import Actor
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.masking import shown_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.cycles import exports, services
from qnwmh.cycles.forms import CycleForm, HeadcountForm, OverrideForm, RegistrationForm
from qnwmh.cycles.models import (
    PHASE_TRANSITIONS,
    BodySubmission,
    Cycle,
    Quota,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.selectors import (
    BodyList,
    RegistrationFilters,
    body_list,
    body_submission,
    cap_figures,
    cycle_detail,
    cycle_with_quotas,
    cycles_visible_to,
    fileable_collectives,
    own_body_lists,
    previous_cycle,
    quota_detail,
    quota_table,
    registration_in_cycle,
    registration_page_rows,
    town_view,
    with_collective_names,
)


def _cycle_url(cycle: Cycle) -> str:
    return reverse("cycles:detail", args=[cycle.code])


def _quotas_url(cycle: Cycle) -> str:
    return reverse("cycles:quotas", args=[cycle.code])


def _quota_back(quota: Quota) -> str:
    return _quotas_url(quota.cycle)


def _registrations_url(cycle: Cycle) -> str:
    return reverse("cycles:registrations", args=[cycle.code])


def _list_back(listing: BodyList) -> str:
    return _registrations_url(listing.cycle)


def _registration_url(reg: Registration) -> str:
    return reverse("cycles:registration_detail", args=[reg.cycle.code, reg.code])


def _submissions_url(cycle: Cycle) -> str:
    return reverse("cycles:submissions", args=[cycle.code])


@guarded("cycles.view")
def cycle_list_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "cycles/list.html",
        {
            "cycles": cycles_visible_to(actor),
            "can_manage": can(actor, "cycles.manage"),
        },
    )


@guarded("cycles.manage")
def cycle_create_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
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


@guarded("cycles.manage", load=cycle_detail)
def cycle_edit_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    actor = request.actor
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


@guarded(load=cycle_detail)
def cycle_detail_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    actor = request.actor
    can_manage = can(actor, "cycles.manage")
    # The page shows the totals only.
    caps = cap_figures(actor, cycle, bodies=False) if actor.is_staff_of_body else None
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


@guarded("cycles.manage", load=cycle_detail, back=_cycle_url)
@require_POST
def cycle_move_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    change = services.cycle_move(
        request.actor,
        cycle=cycle,
        to=request.POST.get("to", ""),
        force=bool(request.POST.get("force")),
        reason=request.POST.get("reason", "")[:500],
    )
    messages.success(
        request, _("周期已进入“%(p)s”阶段。") % {"p": change.cycle.get_phase_display()}
    )
    for w in change.warnings:
        messages.warning(request, w)
    return redirect("cycles:detail", code=cycle.code)


# Quotas ---------------------------------------------------------------------------------


@guarded(load=cycle_with_quotas)
def quota_list_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    actor = request.actor
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


@guarded("cycles.manage", load=cycle_detail, back=_quotas_url)
@require_POST
def quota_compute_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("按规则重新计算名额？各组织的计算名额将被覆盖（已调整的名额保留调整值）。"),
            back=_quotas_url(cycle),
        )
    services.quotas_compute(request.actor, cycle=cycle)
    messages.success(request, _("名额已按规则重新计算。"))
    return redirect("cycles:quotas", code=cycle.code)


@guarded("cycles.manage", load=cycle_detail, back=_quotas_url)
@require_POST
def quota_publish_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("公布名额？公布后各组织将收到通知，名额不能再重新计算。"),
            back=_quotas_url(cycle),
        )
    services.quotas_publish(request.actor, cycle=cycle)
    messages.success(request, _("名额已公布，各组织已收到通知。"))
    return redirect("cycles:quotas", code=cycle.code)


@guarded("cycles.manage", load=quota_detail, back=_quota_back)
@require_POST
def quota_override_view(request: ActorRequest, quota: Quota) -> HttpResponse:
    form = OverrideForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写有效的名额和调整原因。"))
    services.quota_override(
        request.actor,
        quota=quota,
        value=form.cleaned_data["value"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("名额已调整。"))
    return redirect("cycles:quotas", code=quota.cycle.code)


@guarded("cycles.set_headcount", load=quota_detail, back=_quota_back)
@require_POST
def quota_headcount_view(request: ActorRequest, quota: Quota) -> HttpResponse:
    form = HeadcountForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写合理的青年人数。"))
    services.quota_set_headcount(
        request.actor, quota=quota, headcount=form.cleaned_data["headcount"]
    )
    messages.success(request, _("已保存。"))
    return redirect("cycles:quotas", code=quota.cycle.code)


@guarded("cycles.export", load=cycle_detail)
def quota_export_view(request: ActorRequest, cycle: Cycle) -> HttpResponseBase:
    return exports.quotas_xlsx(request.actor, cycle)


# Registrations --------------------------------------------------------------------------


@functools.cache
def _status_labels(language: str | None) -> dict[str, str]:
    # Once per language and process: translations do not change while it runs.
    return {value: str(label) for value, label in RegistrationStatus.choices}


def _registration_rows(cycle: Cycle, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's rows with what the template would otherwise work out per row: the link
    (one reverse() for the page), the status's label, the body's shown name, the rank."""
    base = reverse("cycles:registration_create", args=[cycle.code]).removesuffix("new/")
    labels = _status_labels(get_language())
    for r in rows:
        r["url"] = f"{base}{r['code']}/"
        r["status_label"] = labels.get(r["status"], r["status"])
        r["body"] = r["body_short_name"] or r["body_name"]
        if r["rank"] is None:
            r["rank"] = ""
    return rows


def _body_choices(actor: Actor) -> list[Any]:
    """The registrations filter's bodies: only that facet of the filter bar is asked for, and
    not at all when the actor's scope reaches one body at most (a filter of one option is left
    out anyway)."""
    if not actor.is_staff_of_body:
        return []
    if not actor.is_city_admin and len(actor.body_ids) < 2 and not actor.collective_ids:
        return []
    bodies: list[Any] = filter_choices(actor, ("bodies",))["bodies"]
    return bodies


@guarded(load=cycle_detail)
def registration_list_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    actor = request.actor
    filters = RegistrationFilters.from_query(request.GET)
    page = paginate(request, registration_page_rows(actor, cycle, filters))
    page.object_list = _registration_rows(cycle, with_collective_names(page.object_list))
    return render(
        request,
        "cycles/registrations.html",
        {
            "cycle": cycle,
            "filters": filters,
            "statuses": RegistrationStatus.choices,
            "page": page,
            "qs": querystring_without_page(request),
            "bodies": _body_choices(actor),
            "own_bodies": own_body_lists(actor, cycle),
            "can_file": cycle.is_registration_open and can(actor, "cycles.file"),
            "can_export": can(actor, "cycles.export"),
        },
    )


@guarded("cycles.export", load=cycle_detail)
def registration_export_view(request: ActorRequest, cycle: Cycle) -> HttpResponseBase:
    return exports.registrations_xlsx(request.actor, cycle)


def _leader_initial(collective: Any) -> dict[str, str]:
    """The roster's leader (号长) as the form's starting values."""
    leader = collective.members.current().filter(is_leader=True).first()
    return {"leader_name": leader.name, "leader_phone": leader.phone} if leader else {}


def _any_collective(_cycle: Cycle) -> None:
    """cycles.file asked in general: may this actor file for some collective at all."""
    return None


@guarded("cycles.file", load=cycle_detail, of=_any_collective)
def registration_create_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    actor = request.actor
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


@guarded(load=registration_in_cycle)
def registration_detail_view(request: ActorRequest, reg: Registration) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "cycles/registration_detail.html",
        {
            "cycle": reg.cycle,
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


@guarded("cycles.file", load=registration_in_cycle, of="collective")
def registration_edit_view(request: ActorRequest, reg: Registration) -> HttpResponse:
    actor = request.actor
    cycle = reg.cycle
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


def _review(actor: Actor, reg: Registration, action: str, reason: str) -> str:
    """Record the body's preliminary review; the message that says it was done."""
    if action == "accept":
        services.registration_accept(actor, registration=reg)
        return _("报备 %(no)s 已通过初评。") % {"no": reg.number}
    if action == "return":
        services.registration_return(actor, registration=reg, reason=reason)
        return _("报备 %(no)s 已退回修改。") % {"no": reg.number}
    if action == "reject":
        services.registration_reject(actor, registration=reg, reason=reason)
        return _("报备 %(no)s 初评未通过。") % {"no": reg.number}
    raise DomainError(_("未知操作。"))


@guarded("cycles.review", load=registration_in_cycle, of="body")
@require_POST
def registration_review_view(request: ActorRequest, reg: Registration) -> HttpResponse:
    action = request.POST.get("action", "")
    if action == "accept" and not is_confirmed(request):
        return ask(
            request,
            _("确认报备 %(no)s（%(name)s）通过初评？")
            % {"no": reg.number, "name": reg.collective.name},
            back=_registration_url(reg),
        )
    # Done or refused, the clerk goes back to the page the review was made on (the list or
    # the registration), which `back=` (a function of the registration alone) cannot know.
    try:
        messages.success(
            request, _review(request.actor, reg, action, request.POST.get("reason", "")[:500])
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    if request.POST.get("next", "") == "list":
        return redirect("cycles:registrations", code=reg.cycle.code)
    return redirect(_registration_url(reg))


@guarded("cycles.set_special", load=registration_in_cycle, back=_registration_url)
@require_POST
def registration_special_view(request: ActorRequest, reg: Registration) -> HttpResponse:
    value = request.POST.get("value") == "1"
    services.registration_set_special(request.actor, registration=reg, value=value)
    messages.success(
        request,
        _("已将报备 %(no)s 列为特别推荐。") % {"no": reg.number}
        if value
        else _("已取消报备 %(no)s 的特别推荐。") % {"no": reg.number},
    )
    return redirect(_registration_url(reg))


@guarded("cycles.file", load=registration_in_cycle, of="collective", back=_registration_url)
@require_POST
def registration_withdraw_view(request: ActorRequest, reg: Registration) -> HttpResponse:
    services.registration_withdraw(
        request.actor, registration=reg, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("报备已撤回。"))
    return redirect(_registration_url(reg))


# The bodies' lists ----------------------------------------------------------------------


@guarded("cycles.review", load=body_list, of="body", back=_list_back)
@require_POST
def submission_submit_view(request: ActorRequest, listing: BodyList) -> HttpResponse:
    cycle, body = listing.cycle, listing.body
    if not is_confirmed(request):
        return ask(
            request,
            _("将 %(body)s 初评通过的名单报送团市委？报送后不能再调整排序，除非团市委退回。")
            % {"body": body.name},
            back=_registrations_url(cycle),
        )
    services.submission_submit(request.actor, cycle=cycle, body=body)
    messages.success(request, _("名单已报送团市委。"))
    return redirect("cycles:registrations", code=cycle.code)


def _rank_order(post: Any) -> list[str]:
    """The registration codes in the order of the numbers typed beside them (``rank_<code>``);
    empty when a number is not a number."""
    try:
        ranks = [(int(str(v)), k[5:]) for k, v in post.items() if k.startswith("rank_")]
    except ValueError:
        return []
    return [c for _n, c in sorted(ranks)]


@guarded("cycles.review", load=body_list, of="body", back=_list_back)
@require_POST
def submission_rank_view(request: ActorRequest, listing: BodyList) -> HttpResponse:
    order = _rank_order(request.POST)
    if not order:
        raise DomainError(_("请为每个报备填写排序数字。"))
    services.registrations_rank(request.actor, cycle=listing.cycle, body=listing.body, order=order)
    messages.success(request, _("排序已保存。"))
    return redirect("cycles:registrations", code=listing.cycle.code)


@guarded("cycles.manage", load=cycle_detail)
def submission_list_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "cycles/submissions.html",
        {
            "cycle": cycle,
            "rows": quota_table(actor, cycle),
            "submissions": {s.body_id: s for s in BodySubmission.objects.filter(cycle=cycle)},
        },
    )


# The cycle comes first and the city's right next: a list that does not exist (yet) is
# not found only for those who may decide lists at all.
@guarded("cycles.manage", load=cycle_detail, back=_submissions_url)
@require_POST
def submission_decide_view(request: ActorRequest, cycle: Cycle, body_id: int) -> HttpResponse:
    actor = request.actor
    sub = body_submission(actor, cycle, body_id)
    if request.POST.get("action") == "accept":
        if not is_confirmed(request):
            return ask(
                request,
                _("接收 %(body)s 报送的名单？接收后该组织初评通过的报备即转为备案，并通知各集体。")
                % {"body": sub.body.name},
                back=_submissions_url(cycle),
            )
        services.submission_accept(actor, submission=sub)
        messages.success(request, _("已接收该组织的报备名单。"))
    else:
        services.submission_return(
            actor, submission=sub, reason=request.POST.get("reason", "")[:500]
        )
        messages.success(request, _("已退回该组织的报备名单。"))
    return redirect("cycles:submissions", code=cycle.code)


@guarded("cycles.town_view", load=cycle_detail)
def town_view_view(request: ActorRequest, cycle: Cycle) -> HttpResponse:
    rows = town_view(cycle)
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
