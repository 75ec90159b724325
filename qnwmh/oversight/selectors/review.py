"""Reads of the annual re-review, scoped by the actor: the city sees every case, a body admin
its subtree's cases (by the case's ``body``), a collective manager its own collectives'."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Organisation
from qnwmh.oversight.models import (
    AnnualReview,
    CaseStatus,
    Outcome,
    ReviewCase,
    ReviewStatus,
    Source,
    Standard,
    StandardItem,
)

OPEN_CASES = (CaseStatus.AWAITING_SELF, CaseStatus.SELF_REPORTED, CaseStatus.ASSESSED)


def reviews_visible_to(actor: Actor) -> QuerySet[AnnualReview]:
    """Every campaign (a body's staff see the campaign; its cases are scoped)."""
    return AnnualReview.objects.select_related("standard").order_by("-year")


def review_detail(actor: Actor, code: str) -> AnnualReview:
    return get_object_or_404(reviews_visible_to(actor), code=code)


def open_review_for(year: int) -> AnnualReview | None:
    return AnnualReview.objects.filter(year=year).first()


def cases_visible_to(actor: Actor) -> QuerySet[ReviewCase]:
    qs = ReviewCase.objects.select_related(
        "review", "review__standard", "title", "collective", "collective__town", "body"
    )
    return in_scope(qs, actor, body="body", collective="collective")


def case_detail(actor: Actor, code: str) -> ReviewCase:
    return get_object_or_404(cases_visible_to(actor), code=code)


def review_cases(
    actor: Actor,
    review: AnnualReview | int,  # or its id (a prepared query's parameter)
    *,
    body: int | None = None,
    status: str = "",
    outcome: str = "",
    proposed: str = "",
) -> QuerySet[ReviewCase]:
    qs = cases_visible_to(actor).filter(review=review)
    if body:
        qs = qs.filter(body_id=body)
    if status:
        qs = qs.filter(status=status)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if proposed:
        qs = qs.filter(proposed_outcome=proposed)
    # The case's own copies of the sort keys: one index walks a page (``case_list_order``).
    return qs.order_by("body_name", "collective_key", "id")


# What a row of the cases list renders.
LIST_COLUMNS = (
    "id",
    "code",
    "status",
    "total",
    "proposed_outcome",
    "outcome",
    "forced",
    "body_name",
    "collective__name",
    "title__stars",
)


def case_rows(cases: QuerySet[ReviewCase]) -> QuerySet[ReviewCase]:
    """``review_cases`` as a list's rows, joined: for the first page, whose rows an index walk
    finds from its start, so the joins are made for those rows alone."""
    return cases.select_related(None).select_related("collective", "title").only(*LIST_COLUMNS)


def cases_in_order(ids: list[int]) -> list[ReviewCase]:
    """The cases with these ids (a page, found index-only by ``review_cases``), in that order,
    with only the columns a list row shows: the page's rows are joined, not every row the
    offset skips."""
    rows = ReviewCase.objects.filter(pk__in=ids).select_related("collective", "title")
    by_id = {c.pk: c for c in rows.only(*LIST_COLUMNS)}
    return [by_id[i] for i in ids]


def my_cases(actor: Actor) -> QuerySet[ReviewCase]:
    """The cases of the collectives the actor manages, newest campaign first."""
    return (
        cases_visible_to(actor)
        .filter(collective_id__in=actor.collective_ids)
        .order_by("-review__year", "collective_key")
    )


# Progress per body -------------------------------------------------------------------------------

# The statuses in order, once: ``CaseStatus.values`` builds a new list on every call.
_STATUSES = tuple(CaseStatus.values)


@dataclass
class BodyProgress:
    body_id: int
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        return sum(self.counts.get(s, 0) for s in OPEN_CASES)

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status, count) in the order of the statuses, for the progress table."""
        return [(s, self.counts.get(s, 0)) for s in _STATUSES]


def progress(actor: Actor, review: AnnualReview) -> list[BodyProgress]:
    """Cases by status per managing body in the actor's scope: one grouped query the index
    ``case_body_status`` answers alone (no join), then the bodies' names."""
    rows = list(
        in_scope(
            ReviewCase.objects.filter(review=review), actor, body="body", collective="collective"
        )
        .values_list("body_id", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    names = dict(Organisation.objects.filter(pk__in={r[0] for r in rows}).values_list("id", "name"))
    out: dict[int, BodyProgress] = {}
    for body_id, status, n in rows:
        p = out.setdefault(body_id, BodyProgress(body_id, names[body_id]))
        p.counts[status] = n
    return sorted(out.values(), key=lambda p: p.name)


def status_totals(rows: list[BodyProgress]) -> list[int]:
    """The column totals of the progress table, in the order of the statuses."""
    totals: dict[str, int] = defaultdict(int)
    for p in rows:
        for status, n in p.counts.items():
            totals[status] += n
    return [totals[s] for s in _STATUSES]


def outcome_counts(actor: Actor, review: AnnualReview) -> list[tuple[str, int]]:
    """(outcome label, decided cases) for every outcome, in the actor's scope."""
    rows = (
        cases_visible_to(actor)
        .filter(review=review, status=CaseStatus.DECIDED)
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    got = {r["outcome"]: r["n"] for r in rows}
    return [(str(label), got.get(value, 0)) for value, label in Outcome.choices]


def open_case_count(review: AnnualReview) -> int:
    return review.cases.filter(status__in=OPEN_CASES).count()


def case_counts(reviews: list[AnnualReview], actor: Actor) -> dict[int, dict[str, int]]:
    """Per review: cases in scope, open and decided (one query for the page)."""
    rows = (
        cases_visible_to(actor)
        .filter(review__in=reviews)
        .values("review_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_CASES)),
            decided=Count("id", filter=Q(status=CaseStatus.DECIDED)),
        )
        .order_by()
    )
    return {
        r["review_id"]: {"total": r["total"], "open": r["open"], "decided": r["decided"]}
        for r in rows
    }


# One case's scores -------------------------------------------------------------------------------


@dataclass
class ItemRow:
    item: StandardItem
    points: Decimal | None
    note: str


@dataclass
class SourceBlock:
    source: str
    label: str
    rows: list[ItemRow]

    @property
    def full(self) -> int:
        return sum(r.item.points for r in self.rows)

    @property
    def scored(self) -> Decimal:
        return sum((r.points or Decimal(0) for r in self.rows), Decimal(0))


def _stored(scores: dict[str, Any], item_id: int) -> tuple[Decimal | None, str]:
    entry = scores.get(str(item_id))
    if not entry:
        return None, ""
    return Decimal(entry["points"]), entry.get("note") or entry.get("detail") or ""


def standard_items(standard: Standard) -> list[StandardItem]:
    return list(standard.items.order_by("position"))


def score_blocks(case: ReviewCase, items: list[StandardItem]) -> list[SourceBlock]:
    """The case's items grouped by source (self, body, computed) with their points."""
    stored = {
        Source.SELF: case.self_scores,
        Source.BODY: case.body_scores,
        Source.COMPUTED: case.computed_scores,
    }
    blocks = []
    for source in Source:
        rows = [
            ItemRow(i, *_stored(stored[source], i.id)) for i in items if i.source == source.value
        ]
        if rows:
            blocks.append(SourceBlock(source.value, str(source.label), rows))
    return blocks


def running_total(case: ReviewCase, items: list[StandardItem]) -> Decimal:
    return sum((b.scored for b in score_blocks(case, items)), Decimal(0))


def is_decided(case: ReviewCase) -> bool:
    return case.status == CaseStatus.DECIDED


def open_reviews() -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(status=ReviewStatus.OPEN)


OUTCOME_CHOICES = Outcome.choices
