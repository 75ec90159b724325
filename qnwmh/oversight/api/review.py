"""Oversight API: the annual re-review (``/api/v1/oversight/reviews/...`` and
``/review-cases/...``), through the same selectors and services as the pages: a broken rule
answers 400 with its Chinese message, a refusal 403, anything outside the caller's scope 404.
Self-report evidence files are uploaded on the case's page; the API takes the scores."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.core.actor import Actor
from qnwmh.core.apischema import CodeStr, Line, Page, PageQuery, Text, api_actor, errors, page_of
from qnwmh.core.permissions import require
from qnwmh.core.prepared import prepared
from qnwmh.orgs.models import Organisation
from qnwmh.oversight.models import AnnualReview, CaseStatus, Outcome, ReviewCase, Standard
from qnwmh.oversight.selectors import review as selectors
from qnwmh.oversight.services import review as services

router = Router(tags=["oversight"])

R = "/reviews/{code}"
C = "/review-cases/{code}"

if TYPE_CHECKING:
    OutcomeStr = str
    StatusStr = str
else:
    OutcomeStr = Literal[tuple(Outcome.values)]
    StatusStr = Literal[tuple(CaseStatus.values)]


class AnnualReviewOut(Schema):
    code: CodeStr
    year: int
    standard_code: CodeStr
    standard: str
    status: str
    self_report_due: datetime.date
    assessment_due: datetime.date
    note: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    close_note: str


def _review_out(r: AnnualReview) -> dict[str, Any]:
    return {
        "code": r.code,
        "year": r.year,
        "standard_code": r.standard.code,
        "standard": r.standard.name,
        "status": r.status,
        "self_report_due": r.self_report_due,
        "assessment_due": r.assessment_due,
        "note": r.note,
        "opened_at": r.opened_at,
        "closed_at": r.closed_at,
        "close_note": r.close_note,
    }


class AnnualReviewIn(Schema):
    year: int = Field(ge=2000, le=2100)
    standard_code: CodeStr
    self_report_due: datetime.date
    assessment_due: datetime.date
    note: Text = Field(default="", max_length=2000)


class AnnualReviewCloseIn(Schema):
    note: Text = Field(default="", max_length=2000)


class ReviewCaseSummaryOut(Schema):
    code: CodeStr
    review_code: CodeStr
    year: int
    collective_code: CodeStr
    collective: str
    body: str
    title_code: CodeStr
    stars: int
    status: str
    exempt_reason: str
    total: Decimal | None
    proposed_outcome: str
    outcome: str
    forced: bool


class ReviewScoreOut(Schema):
    item: int
    position: int
    label: str
    source: str
    full: int
    points: Decimal | None
    note: str


class ReviewCaseOut(ReviewCaseSummaryOut):
    scores: list[ReviewScoreOut]
    assessment_note: str
    decision_reason: str
    self_reported_at: datetime.datetime | None
    assessed_at: datetime.datetime | None
    decided_at: datetime.datetime | None


def _summary(c: ReviewCase) -> dict[str, Any]:
    return {
        "code": c.code,
        "review_code": c.review.code,
        "year": c.review.year,
        "collective_code": c.collective.code,
        "collective": c.collective.name,
        "body": c.body.name,
        "title_code": c.title.code,
        "stars": c.title.stars,
        "status": c.status,
        "exempt_reason": c.exempt_reason,
        "total": c.total,
        "proposed_outcome": c.proposed_outcome,
        "outcome": c.outcome,
        "forced": c.forced,
    }


def _case_out(c: ReviewCase) -> dict[str, Any]:
    blocks = selectors.score_blocks(c, selectors.standard_items(c.review.standard))
    return {
        **_summary(c),
        "scores": [
            {
                "item": row.item.id,
                "position": row.item.position,
                "label": row.item.label,
                "source": b.source,
                "full": row.item.points,
                "points": row.points,
                "note": row.note,
            }
            for b in blocks
            for row in b.rows
        ],
        "assessment_note": c.assessment_note,
        "decision_reason": c.decision_reason,
        "self_reported_at": c.self_reported_at,
        "assessed_at": c.assessed_at,
        "decided_at": c.decided_at,
    }


class ReviewScoreIn(Schema):
    item: int = Field(ge=1, le=2**31 - 1)
    points: float = Field(ge=0, le=1000)
    note: Line = Field(default="", max_length=500)


class ReviewSelfReportIn(Schema):
    scores: list[ReviewScoreIn] = Field(max_length=200)


class ReviewAssessIn(Schema):
    scores: list[ReviewScoreIn] = Field(max_length=200)
    proposed_outcome: OutcomeStr | Literal[""] = ""
    note: Text = Field(default="", max_length=2000)


class ReviewDecisionIn(Schema):
    outcome: OutcomeStr
    reason: Text = Field(default="", max_length=2000)


def _scores(scores: list[ReviewScoreIn]) -> tuple[dict[int, str], dict[int, str]]:
    return {s.item: str(s.points) for s in scores}, {s.item: s.note for s in scores}


def _case(request: HttpRequest, code: str) -> dict[str, Any]:
    return _case_out(selectors.case_detail(api_actor(request), code))


# Campaigns ---------------------------------------------------------------------------------------


@router.get("/reviews", response={200: list[AnnualReviewOut], **errors(403)})
def list_reviews(request: HttpRequest) -> list[dict[str, Any]]:
    actor = api_actor(request)
    require(actor, "oversight.view")
    return [_review_out(r) for r in selectors.reviews_visible_to(actor)]


@router.post("/reviews", response={201: AnnualReviewOut, **errors(400, 403, 404)})
def open_review(request: HttpRequest, payload: AnnualReviewIn) -> Status:
    """Open a year's campaign (city): freezes the standard, one case per active city title."""
    actor = api_actor(request)
    require(actor, "oversight.manage")
    standard = get_object_or_404(Standard, code=payload.standard_code)
    r = services.open(
        actor,
        year=payload.year,
        standard=standard,
        self_report_due=payload.self_report_due,
        assessment_due=payload.assessment_due,
        note=payload.note,
    )
    return Status(201, _review_out(r))


def _visible_review(request: HttpRequest, code: str) -> AnnualReview:
    actor = api_actor(request)
    require(actor, "oversight.view")
    return selectors.review_detail(actor, code)


@router.get(R, response={200: AnnualReviewOut, **errors(403, 404)})
def get_review(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _review_out(_visible_review(request, code))


@router.post(R + "/close", response={200: AnnualReviewOut, **errors(400, 403, 404)})
def close_review(
    request: HttpRequest, code: CodeStr, payload: AnnualReviewCloseIn
) -> dict[str, Any]:
    """End the campaign (city), only once every case is decided or exempt."""
    r = services.close(api_actor(request), _visible_review(request, code), note=payload.note)
    return _review_out(r)


class ReviewCaseFilters(Schema):
    status: StatusStr | None = None
    outcome: OutcomeStr | None = None
    proposed: OutcomeStr | None = None
    body: CodeStr | None = None


@prepared
def _case_summaries(
    actor: Actor,
    review_id: int,
    body: int | None,
    status: str | None,
    outcome: str | None,
    proposed: str | None,
) -> QuerySet[ReviewCase]:
    """``review_cases`` as the API lists them, compiled once per process, scope and set of
    filters (``core.prepared``). A filter not given is None, part of the shape; one given is
    a parameter (never empty: the schema takes only the choices' values)."""
    qs = selectors.review_cases(
        actor,
        review_id,
        body=body,
        status=status or "",
        outcome=outcome or "",
        proposed=proposed or "",
    )
    # Only the joins a summary reads, the campaign being the one asked for: the six joins of
    # ``cases_visible_to`` cost PostgreSQL more planning than the whole list's execution.
    return qs.select_related(None).select_related("collective", "body", "title")


@router.get(R + "/cases", response={200: Page[ReviewCaseSummaryOut], **errors(403, 404)})
def list_cases(
    request: HttpRequest,
    code: CodeStr,
    q: PageQuery = Query(...),  # noqa: B008
    filters: ReviewCaseFilters = Query(...),  # noqa: B008
) -> dict[str, Any]:
    """The campaign's cases in the caller's scope (a body: its subtree's)."""
    actor = api_actor(request)
    r = _visible_review(request, code)
    body_id = None
    if filters.body:
        # An unknown body code matches no case (not every case).
        found = Organisation.objects.filter(code=filters.body).values_list("id", flat=True)
        body_id = next(iter(found), None) or -1
    cases = _case_summaries.bind(
        actor, r.pk, body_id, filters.status, filters.outcome, filters.proposed
    )
    page = page_of(cases, q)
    for c in page["results"]:
        c.review = r
    return {**page, "results": [_summary(c) for c in page["results"]]}


# One case ----------------------------------------------------------------------------------------


@router.get(C, response={200: ReviewCaseOut, **errors(403, 404)})
def get_case(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    c = selectors.case_detail(api_actor(request), code)
    require(api_actor(request), "oversight.view_case", c)
    return _case_out(c)


@router.post(C + "/self-report", response={200: ReviewCaseOut, **errors(400, 403, 404)})
def self_report(request: HttpRequest, code: CodeStr, payload: ReviewSelfReportIn) -> dict[str, Any]:
    """The collective's managers score the self-assessed items (revisable until assessed)."""
    actor = api_actor(request)
    scores, notes = _scores(payload.scores)
    services.self_report(actor, selectors.case_detail(actor, code), scores=scores, notes=notes)
    return _case(request, code)


@router.post(C + "/assess", response={200: ReviewCaseOut, **errors(400, 403, 404)})
def assess(request: HttpRequest, code: CodeStr, payload: ReviewAssessIn) -> dict[str, Any]:
    """The body scores its items; the total proposes an outcome (another one needs ``note``)."""
    actor = api_actor(request)
    scores, notes = _scores(payload.scores)
    services.assess(
        actor,
        selectors.case_detail(actor, code),
        scores=scores,
        notes=notes,
        proposed_outcome=payload.proposed_outcome,
        note=payload.note,
    )
    return _case(request, code)


@router.post(C + "/decide", response={200: ReviewCaseOut, **errors(400, 403, 404)})
def decide(request: HttpRequest, code: CodeStr, payload: ReviewDecisionIn) -> dict[str, Any]:
    """The city's decision on an assessed case; other than a pass, the sanction follows."""
    actor = api_actor(request)
    services.decide(
        actor, selectors.case_detail(actor, code), outcome=payload.outcome, reason=payload.reason
    )
    return _case(request, code)


@router.post(C + "/force", response={200: ReviewCaseOut, **errors(400, 403, 404)})
def force(request: HttpRequest, code: CodeStr, payload: ReviewDecisionIn) -> dict[str, Any]:
    """The city decides a case nobody assessed; ``reason`` is required."""
    actor = api_actor(request)
    services.force(
        actor, selectors.case_detail(actor, code), outcome=payload.outcome, reason=payload.reason
    )
    return _case(request, code)
