"""Ranking pages: the live ranking of a round (city-wide or per body, the cut drawn, the caps
table), what-if weights side by side (nothing saved), freezing the shortlist, the shortlist
with its move-up form, league support entry, and the ranking's Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.awards.caps import caps_for
from qnwmh.awards.exports.ranking import ranking_export
from qnwmh.awards.forms.ranking import FreezeForm, LeagueSupportForm, MoveUpForm, WhatIfForm
from qnwmh.awards.models import EntryStatus, Shortlist, ShortlistEntry
from qnwmh.awards.ranking import EXCLUDED, LISTED, Ranked, Ranking, Weights
from qnwmh.awards.selectors import ranking as sel
from qnwmh.awards.services import entries as entry_services
from qnwmh.awards.services import league_support
from qnwmh.awards.services.ranking import current_ranking, freeze, weights_of
from qnwmh.awards.services.ranking_cache import APPRAISAL_TTL, live_ranking, live_rankings
from qnwmh.certification.models import Application, CertificationRound, RoundStatus
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query, as_int
from qnwmh.core.replica import replica_reads
from qnwmh.core.templatetags.ui import colon

PER_PAGE = 100


def _page(request: ActorRequest, items: list[Any]) -> Any:
    paginator = Paginator(items, PER_PAGE)
    return paginator.get_page(as_int(request.GET.get("page")) or 1)


def _shortlist(r: CertificationRound) -> Shortlist | None:
    return Shortlist.objects.filter(round=r).first()


@guarded("awards.view", check_first=True)
@require_safe
def rounds_view(request: ActorRequest) -> HttpResponse:
    return render(request, "awards/ranking/rounds.html", {"rounds": sel.rounds(request.actor)})


def _labels() -> dict[str, str]:
    """The row labels, translated once per page rather than once per row."""
    return {
        "listed": _("拟认定"),
        "reserve": _("候补"),
        "excluded": _("不具备条件"),
        "special": _("特别推荐"),
        "colon": colon(),
    }


def _display(views: list[sel.RowView], *, by_body: bool) -> list[dict[str, Any]]:
    """Plain values per row: a page of 100 rows renders without attribute look-ups through
    the ranked row, its candidate and the application."""
    out = []
    for v in views:
        r, c, app = v.row, v.row.candidate, v.app
        out.append(
            {
                "cut_before": v.cut_before,
                "status": r.status,
                "name": app.collective if app else "",
                "special": c.special,
                "position": r.body_position if by_body else r.city_position,
                "exclusion_label": v.exclusion_label,
                "final": r.final,
                "combined": c.combined,
                "league": c.league_support,
                "appraisal": floatformat(r.appraisal, 2),
                "body": app.body if app else "",
            }
        )
    return out


@guarded("awards.view", load=sel.round_of, check_first=True)
@require_safe
@replica_reads
def ranking_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    actor = request.actor
    context: dict[str, Any] = {
        "round": r,
        "shortlist": _shortlist(r),
        "shown": sel.ranking_shown(actor, r),
        "may_what_if": can(actor, "awards.what_if"),
        "may_freeze": can(actor, "awards.freeze", r) and r.status == RoundStatus.CLOSED,
    }
    if context["shown"]:
        caps = caps_for(r.cycle)
        weights = weights_of(r.cycle)
        ranking, read_at = live_ranking(r, weights, caps)
        body = Query(request.GET).number("body")
        rows = sel.visible(actor, ranking.rows, body)
        page = _page(request, rows)
        cap_rows = sel.caps_table(actor, caps, ranking)
        context.update(
            weights=weights,
            appraisal_read_at=read_at,
            appraisal_minutes=APPRAISAL_TTL // 60,
            body=body,
            # The caps table's bodies, in its order (by path): no second read of the bodies.
            bodies=[(c.body.id, c.body.name) for c in cap_rows],
            caps=cap_rows,
            city_cap=caps.city_cap,
            sum_of_caps=caps.sum_of_body_caps,
            listed=ranking.listed,
            page=page,
            rows=_display(
                sel.with_names(page.object_list, cut=sel.first_below_cut(rows) if body else None),
                by_body=bool(body),
            ),
            labels=_labels(),
            qs=querystring_without_page(request),
            missing_support=sum(
                1 for row in rows if row.candidate.league_support is None and row.status != EXCLUDED
            ),
        )
    return render(request, "awards/ranking/ranking.html", context)


@guarded("awards.view", load=sel.round_of, check_first=True)
@require_safe
def ranking_export_view(request: ActorRequest, r: CertificationRound) -> HttpResponseBase:
    if not sel.ranking_shown(request.actor, r):
        messages.error(request, _("评分截止后才能查看排名。"))
        return redirect("awards:ranking", r.code)
    return ranking_export(request.actor, r, body=Query(request.GET).number("body"))


# What-if --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    now: Ranked
    then: Ranked

    @property
    def moved_in(self) -> bool:
        return self.then.status == LISTED and self.now.status != LISTED

    @property
    def moved_out(self) -> bool:
        return self.now.status == LISTED and self.then.status != LISTED

    @property
    def mover(self) -> bool:
        return self.moved_in or self.moved_out

    @property
    def application_id(self) -> int:
        return self.now.application_id


def _movers(current: Ranking, what_if: Ranking) -> list[Ranked]:
    """The what-if rows whose side of the cut differs from now (a pass over ids only: the
    comparisons are built for the page shown)."""
    now = current.by_id
    return [
        r for r in what_if.rows if (r.status == LISTED) != (now[r.application_id].status == LISTED)
    ]


def _compared(c: Comparison, app: sel.Names | None) -> dict[str, Any]:
    """Plain values per compared row (as ``_display``); statuses as their labels."""
    return {
        "moved_in": c.moved_in,
        "moved_out": c.moved_out,
        "name": app.collective if app else "",
        "body": app.body if app else "",
        "now_position": c.now.city_position,
        "now_status": EntryStatus(c.now.status).label,
        "now_final": c.now.final,
        "then_position": c.then.city_position,
        "then_status": EntryStatus(c.then.status).label,
        "then_final": c.then.final,
    }


@guarded("awards.what_if", load=sel.round_of, check_first=True)
@require_safe
def what_if_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    base = weights_of(r.cycle)
    form = WhatIfForm(request.GET or None, base=base)
    context: dict[str, Any] = {"round": r, "form": form, "base": base}
    if form.is_bound and form.is_valid():
        trial = weights_of(r.cycle, **form.overrides())
        # Same kept inputs, both weights: each ranking is kept too, so paging re-ranks nothing.
        (current, alternative), read_at = live_rankings(r, [base, trial])
        movers = _movers(current, alternative)
        only_movers = request.GET.get("movers") == "1"
        page = _page(request, movers if only_movers else alternative.rows)
        names = {v.row.application_id: v.app for v in sel.with_names(page.object_list)}
        comparisons = [Comparison(current.by_id[r.application_id], r) for r in page.object_list]
        context.update(
            trial=trial,
            appraisal_read_at=read_at,
            appraisal_minutes=APPRAISAL_TTL // 60,
            page=page,
            rows=[_compared(c, names.get(c.application_id)) for c in comparisons],
            labels={"moved_in": _("进入"), "moved_out": _("退出")},
            movers=len(movers),
            moved_in=sum(1 for r in movers if r.status == LISTED),
            only_movers=only_movers,
            qs=querystring_without_page(request),
        )
    return render(request, "awards/ranking/what_if.html", context)


# Freeze ----------------------------------------------------------------------------------------


@guarded(
    "awards.freeze", load=sel.round_of, back=lambda r: reverse("awards:ranking", args=[r.code])
)
def freeze_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    existing = _shortlist(r)
    if existing is not None:
        messages.info(request, _("本轮拟认定名单已经确定。"))
        return redirect("awards:shortlist", existing.code)
    form = FreezeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shortlist = freeze(request.actor, r, note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("拟认定名单已确定。"))
            return redirect("awards:shortlist", shortlist.code)
    caps = caps_for(r.cycle)
    weights = weights_of(r.cycle)
    ranking = current_ranking(r, weights, caps)
    counts = {s: sum(1 for row in ranking.rows if row.status == s) for s in EntryStatus.values}
    context = {
        "round": r,
        "form": form,
        "weights": weights,
        "caps": sel.caps_table(request.actor, caps, ranking),
        "city_cap": caps.city_cap,
        "counts": counts,
        "closed": r.status == RoundStatus.CLOSED,
    }
    return render(request, "awards/ranking/freeze.html", context)


# The shortlist --------------------------------------------------------------------------------


@guarded("awards.view", load=sel.shortlist_of, check_first=True)
@require_safe
def shortlist_view(request: ActorRequest, shortlist: Shortlist) -> HttpResponse:
    groups = sel.entries_by_status(request.actor, shortlist)
    may_move_up = can(request.actor, "awards.move_up", ShortlistEntry())
    context = {
        "shortlist": shortlist,
        "round": shortlist.round,
        "weights": Weights.from_parameters(shortlist.parameters),
        "groups": [(EntryStatus(s).label, s, groups[s]) for s in EntryStatus.values],
        "may_move_up": may_move_up,
        "form": MoveUpForm(),
        "caps": shortlist.caps.get("city", {}),
    }
    return render(request, "awards/ranking/shortlist.html", context)


def _shortlist_url(entry: ShortlistEntry) -> str:
    return reverse("awards:shortlist", args=[entry.shortlist.code])


@guarded("awards.move_up", load=sel.entry_of, back=_shortlist_url)
@require_POST
def move_up_view(request: ActorRequest, entry: ShortlistEntry) -> HttpResponse:
    form = MoveUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写递补理由。"))
        return redirect(_shortlist_url(entry))
    entry_services.move_up(request.actor, entry, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(name)s 已递补进入名单。") % {"name": entry.collective})
    return redirect(_shortlist_url(entry))


# League support -------------------------------------------------------------------------------


@guarded("awards.view", load=sel.round_of, check_first=True)
@require_safe
def league_list_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    apps = list(sel.league_applications(request.actor, r))
    context = {
        "round": r,
        "apps": apps,
        "frozen": _shortlist(r) is not None,
        "missing": sum(1 for a in apps if not hasattr(a, "league_support")),
    }
    return render(request, "awards/ranking/league_list.html", context)


@guarded("awards.enter_league_support", load=sel.league_application)
def league_edit_view(request: ActorRequest, app: Application) -> HttpResponse:
    existing = sel.league_support_of(app)
    initial = (
        {"score": existing.score, "reason": existing.reason, **existing.figures}
        if existing
        else None
    )
    form = LeagueSupportForm(request.POST or None, initial=initial)
    back = reverse("awards:league_support", args=[app.round.code])
    if request.method == "POST" and form.is_valid():
        try:
            league_support.save(
                request.actor,
                app,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                figures=form.figures(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("团建工作支持情况已保存。"))
            return redirect(back)
    context = {"app": app, "form": form, "existing": existing, "back": back}
    return render(request, "awards/ranking/league_form.html", context)
