"""Pages of the annual re-review: the campaigns (the city opens one), a campaign's progress
per body, its cases (filtered, exported), a case with the form its reader may use
(self-report, assess, decide, force), the manager's own cases and the closing form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.labels import action_label
from qnwmh.audit.selectors import history_of
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import first_page, paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query
from qnwmh.core.replica import replica_reads
from qnwmh.evidence.selectors import evidence_visible_to
from qnwmh.orgs.models import Organisation
from qnwmh.orgs.selectors import bodies_visible_to
from qnwmh.oversight.exports.review import cases_export
from qnwmh.oversight.forms.review import (
    AssessForm,
    CloseForm,
    DecideForm,
    OpenForm,
    SelfReportForm,
)
from qnwmh.oversight.models import AnnualReview, CaseStatus, Outcome, ReviewCase, Source
from qnwmh.oversight.selectors import review as selectors
from qnwmh.oversight.services import review as services


def _review_url(r: AnnualReview) -> str:
    return reverse("oversight:review", args=[r.code])


def _case_url(c: ReviewCase) -> str:
    return reverse("oversight:review_case", args=[c.code])


# Campaigns ---------------------------------------------------------------------------------------


@guarded("oversight.view")
@require_safe
def reviews_view(request: ActorRequest) -> HttpResponse:
    reviews = list(selectors.reviews_visible_to(request.actor))
    counts = selectors.case_counts(reviews, request.actor)
    return render(
        request,
        "oversight/review/reviews.html",
        {
            "rows": [(r, counts.get(r.id, {})) for r in reviews],
            "can_manage": can(request.actor, "oversight.manage"),
        },
    )


@guarded("oversight.manage")
def review_open_view(request: ActorRequest) -> HttpResponse:
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            r = services.open(request.actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(year)s 年度复核已开始。") % {"year": r.year})
            return redirect(_review_url(r))
    return render(request, "oversight/review/open.html", {"form": form})


@guarded("oversight.view", load=selectors.review_detail)
@require_safe
@replica_reads
def review_view(request: ActorRequest, r: AnnualReview) -> HttpResponse:
    rows = selectors.progress(request.actor, r)
    return render(
        request,
        "oversight/review/review.html",
        {
            "r": r,
            "rows": rows,
            "totals": selectors.status_totals(rows),
            "outcomes": selectors.outcome_counts(request.actor, r),
            "statuses": CaseStatus.choices,
            "outcome_choices": Outcome.choices,
            "can_manage": can(request.actor, "oversight.manage"),
            "overdue": timezone.localdate() > r.self_report_due,
        },
    )


def _filters(request: ActorRequest) -> dict[str, Any]:
    q = Query(request.GET)
    return {
        "body": q.number("body"),
        "status": q.choice("status", CaseStatus.values),
        "outcome": q.choice("outcome", Outcome.values),
        "proposed": q.choice("proposed", Outcome.values),
    }


@guarded("oversight.view", load=selectors.review_detail)
@require_safe
def review_cases_view(request: ActorRequest, r: AnnualReview) -> HttpResponse:
    filters = _filters(request)
    cases = selectors.review_cases(request.actor, r, **filters)
    if first_page(request):
        # One statement: the first page's rows with their joins (see ``case_rows``).
        page = paginate(request, selectors.case_rows(cases))
    else:
        # A later page finds its ids index-only first: the offset skips no joined rows.
        page = paginate(request, cases.values_list("id", flat=True))
        page.object_list = selectors.cases_in_order(list(page.object_list))
    return render(
        request,
        "oversight/review/cases.html",
        {
            "r": r,
            "page": page,
            "qs": querystring_without_page(request),
            "filters": filters,
            "bodies": list(
                bodies_visible_to(request.actor)
                .filter(kind=Organisation.Kind.BODY)
                .order_by("name")
                .values_list("id", "name")
            ),
            "statuses": CaseStatus.choices,
            "outcomes": Outcome.choices,
        },
    )


@guarded("oversight.view", load=selectors.review_detail)
@require_safe
def review_cases_export_view(request: ActorRequest, r: AnnualReview) -> HttpResponseBase:
    return cases_export(request.actor, r.code, _filters(request))


@guarded("oversight.manage", load=selectors.review_detail, back=_review_url)
def review_close_view(request: ActorRequest, r: AnnualReview) -> HttpResponse:
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not is_confirmed(request):
            return ask(
                request,
                _("结束 %(year)s 年度复核？结束后不能再变更任何个案。") % {"year": r.year},
                back=_review_url(r),
            )
        services.close(request.actor, r, note=form.cleaned_data["note"])
        messages.success(request, _("年度复核已结束。"))
        return redirect(_review_url(r))
    return render(
        request,
        "oversight/review/close.html",
        {"r": r, "form": form, "left": selectors.open_case_count(r)},
    )


# One case ----------------------------------------------------------------------------------------


def _items(c: ReviewCase, source: str) -> list[Any]:
    return [i for i in selectors.standard_items(c.review.standard) if i.source == source]


def _case_forms(request: ActorRequest, c: ReviewCase) -> dict[str, Any]:
    """The forms the reader may use on this case now."""
    actor = request.actor
    out: dict[str, Any] = {}
    open_ = c.review.status == "open" and c.status != CaseStatus.EXEMPT
    if not open_:
        return out
    if can(actor, "oversight.self_report", c) and c.status in (
        CaseStatus.AWAITING_SELF,
        CaseStatus.SELF_REPORTED,
    ):
        out["self_form"] = SelfReportForm(items=_items(c, Source.SELF), stored=c.self_scores)
    if can(actor, "oversight.assess", c) and c.status != CaseStatus.DECIDED:
        out["assess_form"] = AssessForm(
            items=_items(c, Source.BODY),
            stored=c.body_scores,
            initial={"proposed_outcome": c.proposed_outcome, "note": c.assessment_note},
        )
    if can(actor, "oversight.manage"):
        if c.status == CaseStatus.ASSESSED:
            out["decide_form"] = DecideForm(initial={"outcome": c.proposed_outcome})
        elif c.status != CaseStatus.DECIDED:
            out["force_form"] = DecideForm()
    return out


def _case_page(request: ActorRequest, c: ReviewCase, **forms: Any) -> HttpResponse:
    items = selectors.standard_items(c.review.standard)
    context = {
        "c": c,
        "r": c.review,
        "blocks": selectors.score_blocks(c, items),
        "running": selectors.running_total(c, items),
        "evidence": list(evidence_visible_to(request.actor).filter(id__in=c.evidence.values("id"))),
        "history": [(e, action_label(e.code)) for e in history_of(c)],
        "sanctions": list(c.sanctions.all()),
        **_case_forms(request, c),
        **forms,
    }
    return render(request, "oversight/review/case.html", context)


@guarded("oversight.view_case", load=selectors.case_detail)
@require_safe
def case_view(request: ActorRequest, c: ReviewCase) -> HttpResponse:
    return _case_page(request, c)


@guarded("oversight.self_report", load=selectors.case_detail, back=_case_url)
@require_POST
def self_report_view(request: ActorRequest, c: ReviewCase) -> HttpResponse:
    form = SelfReportForm(
        request.POST, request.FILES, items=_items(c, Source.SELF), stored=c.self_scores
    )
    if form.is_valid():
        try:
            services.self_report(
                request.actor,
                c,
                scores=form.scores(),
                notes=form.notes(),
                evidence=request.FILES.getlist("evidence"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("自评已提交。"))
            return redirect(_case_url(c))
    return _case_page(request, c, self_form=form)


@guarded("oversight.assess", load=selectors.case_detail, back=_case_url)
@require_POST
def assess_view(request: ActorRequest, c: ReviewCase) -> HttpResponse:
    form = AssessForm(request.POST, items=_items(c, Source.BODY), stored=c.body_scores)
    if form.is_valid():
        try:
            services.assess(
                request.actor,
                c,
                scores=form.scores(),
                notes=form.notes(),
                proposed_outcome=form.cleaned_data["proposed_outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("评价已提交，待市级确认。"))
            return redirect(_case_url(c))
    return _case_page(request, c, assess_form=form)


def _decision(request: ActorRequest, c: ReviewCase, *, forced: bool) -> HttpResponse:
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请选择复核结论。"))
    outcome = form.cleaned_data["outcome"]
    if not is_confirmed(request):
        return ask(
            request,
            _("确认 %(c)s 的复核结论为“%(o)s”？非“合格”的结论将同时作出相应处理。")
            % {"c": c.collective.name, "o": Outcome(outcome).label},
            back=_case_url(c),
        )
    act = services.force if forced else services.decide
    act(request.actor, c, outcome=outcome, reason=form.cleaned_data["reason"])
    messages.success(request, _("复核结论已确认。"))
    return redirect(_case_url(c))


@guarded("oversight.manage", load=selectors.case_detail, back=_case_url)
@require_POST
def decide_view(request: ActorRequest, c: ReviewCase) -> HttpResponse:
    return _decision(request, c, forced=False)


@guarded("oversight.manage", load=selectors.case_detail, back=_case_url)
@require_POST
def force_view(request: ActorRequest, c: ReviewCase) -> HttpResponse:
    return _decision(request, c, forced=True)


# The manager's own -------------------------------------------------------------------------------


@guarded("oversight.my_reviews")
@require_safe
def my_reviews_view(request: ActorRequest) -> HttpResponse:
    page = paginate(request, selectors.my_cases(request.actor))
    return render(
        request,
        "oversight/review/mine.html",
        {"page": page, "qs": querystring_without_page(request), "today": timezone.localdate()},
    )
