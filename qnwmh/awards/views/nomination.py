"""Pages of nominations upward (推报): the provincial rounds, a round with its list and the
city titles eligible for it, nominating one, a nomination with its withdrawal and outcome
forms, and the package (the list in Excel, each nomination's dossier zip)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.labels import action_label
from qnwmh.audit.selectors import history_of
from qnwmh.awards.documents.nomination import dossier_response
from qnwmh.awards.exports.nomination import round_xlsx
from qnwmh.awards.forms.nomination import NominateForm, OutcomeForm, RoundForm, WithdrawForm
from qnwmh.awards.models import Nomination, NominationRound, NominationStatus
from qnwmh.awards.selectors.nomination import (
    eligible_titles,
    exempt_from_city_review,
    free_position,
    ineligibility,
    min_title_years,
    nomination_detail,
    not_yet_eligible_count,
    round_detail,
    round_nominations,
    rounds_visible_to,
    years_before,
)
from qnwmh.awards.services import nomination as services
from qnwmh.collectives.models import Level, Title
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query


def _round_url(r: NominationRound) -> str:
    return reverse("awards:nomination_round", args=[r.code])


def _nomination_url(n: Nomination) -> str:
    return reverse("awards:nomination", args=[n.round.code, n.code])


def base_url(request: ActorRequest) -> str:
    """Where the verify page lives, for the certificate's URL in the dossier."""
    return request.build_absolute_uri("/").rstrip("/")


# Rounds -----------------------------------------------------------------------------------------


@guarded("awards.view")
@require_safe
def rounds_view(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "awards/nomination/rounds.html",
        {
            "rounds": rounds_visible_to(request.actor),
            "can_nominate": can(request.actor, "awards.nominate"),
        },
    )


@guarded("awards.nominate")
def round_create_view(request: ActorRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            r = services.round_create(request.actor, values=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("推报批次已建立。"))
            return redirect(_round_url(r))
    return render(request, "awards/nomination/round_form.html", {"form": form, "r": None})


@guarded("awards.nominate", load=round_detail)
def round_edit_view(request: ActorRequest, r: NominationRound) -> HttpResponse:
    form = RoundForm(request.POST or None, instance=r)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                request.actor,
                round=r,
                values={k: form.cleaned_data[k] for k in form.changed_data},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_round_url(r))
    return render(request, "awards/nomination/round_form.html", {"form": form, "r": r})


@guarded("awards.view", load=round_detail)
@require_safe
def round_view(request: ActorRequest, r: NominationRound) -> HttpResponse:
    actor = request.actor
    nominate = can(actor, "awards.nominate")
    nominations = list(round_nominations(actor, r))
    years = min_title_years()
    context: dict[str, Any] = {
        "r": r,
        "nominations": nominations,
        "exempt": exempt_from_city_review(
            [n.title_id for n in nominations if n.status == NominationStatus.GRANTED]
        ),
        "can_nominate": nominate,
        "years": years,
    }
    if nominate:
        q = Query(request.GET).text("q")
        page = paginate(request, eligible_titles(r, years=years, q=q))
        context.update(
            q=q,
            page=page,
            qs=querystring_without_page(request),
            cutoff=years_before(r.deadline, years),
            too_recent=not_yet_eligible_count(r, years=years),
            # rounds_visible_to counts the live nominations.
            full=r.live >= r.quota,  # type: ignore[attr-defined]
            closed=timezone.localdate() > r.deadline,
        )
    return render(request, "awards/nomination/round.html", context)


@guarded("awards.view", load=round_detail)
@require_safe
def round_export_view(request: ActorRequest, r: NominationRound) -> HttpResponseBase:
    return round_xlsx(request.actor, r)


# Nominating -------------------------------------------------------------------------------------


@guarded("awards.nominate", load=round_detail)
def nominate_view(request: ActorRequest, r: NominationRound, title_code: str) -> HttpResponse:
    title = get_object_or_404(
        Title.objects.filter(level=Level.CITY).select_related(
            "collective", "collective__body", "collective__town"
        ),
        code=title_code,
    )
    form = NominateForm(request.POST or None, initial={"position": free_position(r)})
    if request.method == "POST" and form.is_valid():
        try:
            n = services.nominate(
                request.actor,
                round=r,
                title=title,
                recommendation=form.cleaned_data["recommendation"],
                position=form.cleaned_data["position"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已推报 %(name)s。") % {"name": title.collective.name})
            return redirect(_nomination_url(n))
    return render(
        request,
        "awards/nomination/nominate.html",
        {"r": r, "t": title, "form": form, "problem": ineligibility(r, title)},
    )


# One nomination ---------------------------------------------------------------------------------


@guarded("awards.view", load=nomination_detail)
@require_safe
def nomination_view(request: ActorRequest, n: Nomination) -> HttpResponse:
    manage = can(request.actor, "awards.nominate") and n.status == NominationStatus.NOMINATED
    return render(
        request,
        "awards/nomination/detail.html",
        {
            "r": n.round,
            "n": n,
            "exempt": exempt_from_city_review([n.title_id]).get(n.title_id),
            "history": [(e, action_label(e.code)) for e in history_of(n)],
            "can_manage": manage,
            "withdraw_form": WithdrawForm() if manage else None,
            "outcome_form": OutcomeForm(initial={"session_no": n.title.session_no})
            if manage
            else None,
        },
    )


@guarded("awards.nominate", load=nomination_detail, back=_nomination_url)
@require_POST
def withdraw_view(request: ActorRequest, n: Nomination) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写撤回原因。"))
    if not is_confirmed(request):
        return ask(
            request,
            _("撤回对 %(name)s 的推报？撤回后名额空出，可另行推报。") % {"name": n.collective.name},
            back=_nomination_url(n),
        )
    services.withdraw(request.actor, nomination=n, reason=form.cleaned_data["reason"])
    messages.success(request, _("推报已撤回。"))
    return redirect(_round_url(n.round))


@guarded("awards.nominate", load=nomination_detail, back=_nomination_url)
@require_POST
def outcome_view(request: ActorRequest, n: Nomination) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请选择推报结果并填写结果日期。"))
    granted = form.cleaned_data["outcome"] == "granted"
    if not is_confirmed(request):
        question = (
            _("登记 %(name)s 获省级称号？将为其登记省级称号，市级称号保留。")
            if granted
            else _("登记 %(name)s 未获省级称号？")
        )
        return ask(request, question % {"name": n.collective.name}, back=_nomination_url(n))
    services.record_outcome(
        request.actor,
        nomination=n,
        granted=granted,
        outcome_on=form.cleaned_data["outcome_on"],
        note=form.cleaned_data["note"],
        session_no=form.cleaned_data["session_no"],
    )
    messages.success(request, _("推报结果已登记。"))
    return redirect(_nomination_url(n))


@guarded("awards.view", load=nomination_detail)
@require_safe
def dossier_view(request: ActorRequest, n: Nomination) -> HttpResponseBase:
    return dossier_response(request.actor, n, base_url=base_url(request))
