"""Scoring pages: the reviewer's sheets (tablet-friendly), a panel's sheets for its chair and
secretary (reopen, paper entry, printable sheets), staff score lists with Excel export, the
city's aggregation, and defence sessions with their drawn order."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.certification.exports.scores import scores_export
from qnwmh.certification.forms.scoring import (
    DefenceSessionForm,
    PaperSheetForm,
    ReopenForm,
    ScoreSheetForm,
)
from qnwmh.certification.models import (
    Assignment,
    CertificationRound,
    DefenceSession,
    Panel,
    RoundStatus,
    ScoreSet,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.certification.rules import scoring as rules_scoring
from qnwmh.certification.selectors import scoring as sel
from qnwmh.certification.selectors.applications import filter_options
from qnwmh.certification.services import aggregation, defence
from qnwmh.certification.services import scoring as services
from qnwmh.certification.services.rubric import rubric_of
from qnwmh.certification.sheets_pdf import sheet_pdf_response
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.evidence.services import store_upload

SCAN_PURPOSE = "certification.score_sheet"


def _score_set(value: str) -> str:
    if value not in ScoreSet.values:
        raise Http404
    return value


def _rows(criteria: Any, sheet: ScoreSheet) -> list[tuple[Any, dict[str, str]]]:
    """(criterion, {"points", "comment"}) for showing a sheet."""
    return [(c, (sheet.scores or {}).get(c.dimension, {})) for c in criteria]


def _peer_rows(criteria: Any, peers: list[ScoreSheet] | None) -> list[Any] | None:
    if peers is None:
        return None
    return [(p, [row.get("points", "") for _c, row in _rows(criteria, p)]) for p in peers]


# The reviewer -------------------------------------------------------------------------------


@guarded("certification.review", check_first=True)
@require_safe
def my_sheets_view(request: ActorRequest) -> HttpResponse:
    page = paginate(request, sel.my_assignments(request.actor))
    rows = []
    for a in page:
        by_set = {s.score_set: s for s in a.sheets.all()}
        rows.append((a, [(value, label, by_set.get(value)) for value, label in ScoreSet.choices]))
    context = {"rows": rows, "page": page, "qs": querystring_without_page(request)}
    return render(request, "certification/scoring/mine.html", context)


@guarded("certification.score", load=sel.my_assignment)
def sheet_view(request: ActorRequest, assignment: Assignment, score_set: str) -> HttpResponse:
    score_set = _score_set(score_set)
    actor = request.actor
    rubric = rubric_of(assignment.application.round)
    sheet = services.sheet_of(assignment, score_set)
    form = ScoreSheetForm(rubric, request.POST or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_sheet(
                actor,
                assignment=assignment,
                score_set=score_set,
                scores=form.scores(),
                submit=submit,
            )
        except services.ScoreProblems as exc:
            form.show_problems(exc)
            add_domain_error(form, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("评分表已提交。") if submit else _("草稿已保存。"))
            return redirect("certification:sheet", assignment.code, score_set)
    context = {
        "assignment": assignment,
        "score_set": score_set,
        "set_label": ScoreSet(score_set).label,
        "sheet": sheet,
        "form": form,
        "locked": sheet.status == SheetStatus.SUBMITTED,
        "own_rows": _rows(rubric.criteria, sheet),
        "peers": _peer_rows(rubric.criteria, sel.peer_sheets(assignment, score_set)),
        "criteria": rubric.criteria,
        "other_sets": [(v, label) for v, label in ScoreSet.choices if v != score_set],
    }
    return render(request, "certification/scoring/sheet.html", context)


@guarded("certification.print_sheet", load=sel.printable_assignment)
@require_safe
def sheet_pdf_view(request: ActorRequest, assignment: Assignment) -> HttpResponseBase:
    return sheet_pdf_response(request.actor, assignment)


# Panel chair and secretary --------------------------------------------------------------------


@guarded("certification.view_panel", load=sel.panel_detail)
@require_safe
def panel_view(request: ActorRequest, panel: Panel) -> HttpResponse:
    actor = request.actor
    rows = []
    for a in sel.panel_sheets(panel):
        by_set = {s.score_set: s for s in a.sheets.all()}
        rows.append((a, [(value, label, by_set.get(value)) for value, label in ScoreSet.choices]))
    context = {
        "panel": panel,
        "rows": rows,
        "open": panel.round.status == RoundStatus.REVIEW,
        "may_reopen": actor.is_city_admin or rules_scoring.chairs(actor, panel),
        "may_enter": actor.is_city_admin or rules_scoring.is_secretary(actor, panel),
        "reopen_form": ReopenForm(),
    }
    return render(request, "certification/scoring/panel.html", context)


def _panel_back(sheet: ScoreSheet) -> str:
    panel = Panel.objects.filter(
        round_id=sheet.application.round_id, area_id=sheet.application.area_id
    ).first()
    return (
        reverse("certification:panel_sheets", args=[panel.code]) if panel else reverse("core:home")
    )


@guarded("certification.reopen_sheet", load=sel.reopenable_sheet, back=_panel_back)
@require_POST
def sheet_reopen_view(request: ActorRequest, sheet: ScoreSheet) -> HttpResponse:
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.reopen_sheet(request.actor, sheet=sheet, reason=reason)
    messages.success(request, _("评分表已退回评委重评。"))
    return redirect(_panel_back(sheet))


@guarded("certification.enter_paper", load=sel.paper_assignment)
def paper_entry_view(request: ActorRequest, assignment: Assignment, score_set: str) -> HttpResponse:
    score_set = _score_set(score_set)
    actor = request.actor
    rubric = rubric_of(assignment.application.round)
    sheet = services.sheet_of(assignment, score_set)
    form = PaperSheetForm(rubric, request.POST or None, request.FILES or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: a refused sheet leaves no orphan scan behind.
            with transaction.atomic():
                scan = store_upload(
                    actor,
                    uploaded_file=form.cleaned_data["scan"],
                    collective=assignment.application.collective,
                    purpose=SCAN_PURPOSE,
                )
                services.enter_paper_sheet(
                    actor,
                    assignment=assignment,
                    score_set=score_set,
                    scores=form.scores(),
                    scan=scan,
                )
        except services.ScoreProblems as exc:
            form.show_problems(exc)
            add_domain_error(form, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("纸质评分表已录入。"))
            return redirect(_panel_back(services.sheet_of(assignment, score_set)))
    context = {
        "assignment": assignment,
        "score_set": score_set,
        "set_label": ScoreSet(score_set).label,
        "sheet": sheet,
        "form": form,
        "locked": sheet.status == SheetStatus.SUBMITTED,
    }
    return render(request, "certification/scoring/paper.html", context)


# Staff lists ----------------------------------------------------------------------------------


@guarded("certification.view_scores", check_first=True)
@require_safe
def rounds_view(request: ActorRequest) -> HttpResponse:
    rounds = CertificationRound.objects.select_related("cycle")
    return render(
        request,
        "certification/scoring/rounds.html",
        {
            "rounds": rounds,
            "panels": sel.panels_visible_to(request.actor).select_related("round__cycle", "area"),
            "may_manage": can(request.actor, "certification.manage_defence"),
        },
    )


def _score_context(request: ActorRequest, r: CertificationRound) -> dict[str, Any]:
    actor = request.actor
    filters = sel.ScoreFilters.from_query(request.GET)
    # The bodies, towns and areas that occur in the round, not every collective's.
    choices = filter_options(actor, r)
    return {
        "round": r,
        "filters": filters,
        "bodies": choices["bodies"],
        "towns": choices["towns"],
        "areas": choices["areas"],
        "shown": sel.totals_shown(actor, r),
        "rows": sel.score_rows(actor, r, filters),
    }


@guarded("certification.view_scores", load=sel.round_of, check_first=True)
@require_safe
def scores_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    context = _score_context(request, r)
    context["page"] = paginate(request, context.pop("rows"))
    context["qs"] = querystring_without_page(request)
    context["may_aggregate"] = can(request.actor, "certification.aggregate")
    return render(request, "certification/scoring/scores.html", context)


@guarded("certification.view_scores", load=sel.round_of, check_first=True)
@require_safe
def scores_export_view(request: ActorRequest, r: CertificationRound) -> HttpResponseBase:
    context = _score_context(request, r)
    return scores_export(
        request.actor,
        context["rows"],
        shown=context["shown"],
        filters=context["filters"].as_dict(),
    )


@guarded("certification.view_scores", load=sel.scored_application, check_first=True)
@require_safe
def score_detail_view(request: ActorRequest, app: Any) -> HttpResponse:
    criteria = rubric_of(app.round).criteria
    context = {
        "app": app,
        "result": getattr(app, "result", None),
        "shown": sel.totals_shown(request.actor, app.round),
        "sets": [
            (label, _peer_rows(criteria, sheets))
            for (_value, label), sheets in zip(
                ScoreSet.choices, sel.sheets_of(app).values(), strict=True
            )
        ],
        "criteria": criteria,
    }
    return render(request, "certification/scoring/detail.html", context)


@guarded("certification.aggregate", load=sel.round_of, check_first=True)
@require_POST
def aggregate_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    back = reverse("certification:scores", args=[r.code])
    if not is_confirmed(request):
        return ask(request, _("按评分规则重新汇总本轮全部申报的得分？"), back=back)
    count = aggregation.aggregate_round(request.actor, cert_round=r)
    messages.success(request, _("已重新汇总 %(n)s 份申报的得分。") % {"n": count})
    return redirect(back)


# Defence sessions -----------------------------------------------------------------------------


@guarded("certification.manage_defence", load=sel.round_of, check_first=True)
def defence_list_view(request: ActorRequest, r: CertificationRound) -> HttpResponse:
    form = DefenceSessionForm(Panel.objects.filter(round=r), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = defence.create_session(request.actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("答辩场次已安排。"))
            return redirect("certification:defence_detail", session.code)
    context = {"round": r, "sessions": sel.sessions_of(r), "form": form}
    return render(request, "certification/scoring/defence_list.html", context)


@guarded("certification.view_defence", load=sel.session_detail)
@require_safe
def defence_detail_view(request: ActorRequest, session: DefenceSession) -> HttpResponse:
    slots = session.slots.select_related("application__collective").order_by(
        "order", "application__code"
    )
    context = {
        "session": session,
        "slots": slots,
        "codes": sorted(s.application.code for s in slots),
        "may_draw": can(request.actor, "certification.manage_defence") and session.drawn_at is None,
    }
    return render(request, "certification/scoring/defence_detail.html", context)


def _session_back(session: DefenceSession) -> str:
    return reverse("certification:defence_detail", args=[session.code])


@guarded("certification.manage_defence", load=sel.session_detail, back=_session_back)
@require_POST
def defence_draw_view(request: ActorRequest, session: DefenceSession) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request, _("现在抽签确定答辩顺序？抽签后不能重抽。"), back=_session_back(session)
        )
    defence.draw_session(request.actor, session=session)
    messages.success(request, _("已抽签确定答辩顺序。"))
    return redirect(_session_back(session))
