"""Reads over the question bank, exams and attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query
from qnwmh.knowledge import purposes
from qnwmh.knowledge.models import (
    Attempt,
    AttemptStatus,
    Category,
    Exam,
    Option,
    Question,
    QuestionKind,
)


@dataclass(frozen=True)
class TestResult:
    """What a collective's attempts at an exam add up to: the best graded attempt counts."""

    attempts: int = 0
    best_score: Decimal | None = None
    passed: bool = False
    open: bool = False
    attempts_left: int = 0
    per_category: dict[str, Any] = field(default_factory=dict)


def results_for(exam: Exam, collective_ids: list[int]) -> dict[int, TestResult]:
    """Each collective's result in ``exam`` (one query whatever the number of collectives).
    Collectives without an attempt get an empty result with every attempt left."""
    by_collective: dict[int, list[Attempt]] = {cid: [] for cid in collective_ids}
    for attempt in Attempt.objects.filter(exam=exam, collective_id__in=collective_ids).only(
        "collective_id", "status", "score", "passed", "per_category", "number"
    ):
        by_collective[attempt.collective_id].append(attempt)  # type: ignore[index]
    out = {}
    for cid, attempts in by_collective.items():
        graded = [a for a in attempts if a.score is not None]
        best = max(graded, key=lambda a: (a.score, -a.number), default=None)
        out[cid] = TestResult(
            attempts=len(attempts),
            best_score=best.score if best else None,
            passed=any(a.passed for a in graded),
            open=any(a.status == AttemptStatus.OPEN for a in attempts),
            attempts_left=max(0, exam.attempts_allowed - len(attempts)),
            per_category=best.per_category if best else {},
        )
    return out


# Bank and exams ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankFilters:
    category: str = ""
    kind: str = ""
    active: str = "1"  # "1" active, "0" retired, "" both
    text: str = ""

    @classmethod
    def from_query(cls, params: Any) -> BankFilters:
        q = Query(params)
        return cls(
            category=q.text("category"),
            kind=q.choice("kind", QuestionKind.values) or "",
            active=q.choice("active", ["1", "0", "all"]) or "1",
            text=q.text("q"),
        )


def bank(actor: Actor, filters: BankFilters) -> QuerySet[Question]:
    """The question bank, for those who keep it (everyone else: nothing)."""
    if not can(actor, "knowledge.manage_bank"):
        return Question.objects.none()
    qs = Question.objects.select_related("category").prefetch_related("options")
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active in ("1", "0"):
        qs = qs.filter(active=filters.active == "1")
    if filters.text:
        qs = qs.filter(Q(stem__icontains=filters.text) | Q(rule_ref__icontains=filters.text))
    return qs.order_by("category__sort_order", "category__name", "id")


def categories_with_counts() -> QuerySet[Category]:
    return Category.objects.annotate(
        active_questions=Count("questions", filter=Q(questions__active=True)),
        all_questions=Count("questions"),
    )


def question_detail(actor: Actor, code: str) -> Question:
    return get_object_or_404(bank(actor, BankFilters(active="all")), code=code)


def category_detail(actor: Actor, code: str) -> Category:
    if not can(actor, "knowledge.manage_bank"):
        raise Http404
    return get_object_or_404(Category, code=code)


def exams_visible_to(actor: Actor) -> QuerySet[Exam]:
    """City admins see every exam; candidates the exams they may sit (open or past) — few
    exams exist at a time, so asking each owner's hook is cheap."""
    if actor.is_city_admin:
        return Exam.objects.all()
    if not actor.is_authenticated:
        return Exam.objects.none()
    ids = [e.pk for e in Exam.objects.all() if purposes.candidates_for(actor, e)]
    return Exam.objects.filter(pk__in=ids)


def exam_detail(actor: Actor, code: str) -> Exam:
    return get_object_or_404(exams_visible_to(actor), code=code)


def attempts_visible_to(actor: Actor) -> QuerySet[Attempt]:
    """City admins all; others the sittings they took or their collectives'."""
    qs = Attempt.objects.select_related("exam", "collective")
    if actor.is_city_admin:
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(Q(taker=actor.user) | Q(collective_id__in=actor.collective_ids))


def attempt_detail(actor: Actor, code: str) -> Attempt:
    return get_object_or_404(attempts_visible_to(actor), code=code)


@dataclass(frozen=True)
class PaperItem:
    """A question as the candidate sees it: never which options are correct."""

    number: int
    question_id: int
    kind: str
    category: str
    stem: str
    options: list[tuple[int, str]]
    chosen: list[int]
    # After grading only.
    right: bool | None = None
    rule_ref: str = ""


def paper_of(attempt: Attempt, *, graded: bool = False) -> list[PaperItem]:
    """The paper in the order drawn, with the candidate's answers. ``graded`` adds whether
    each was right and the rule it tests (shown on the result page, never the key)."""
    ids = [item["q"] for item in attempt.paper]
    questions = Question.objects.filter(pk__in=ids).select_related("category").in_bulk()
    texts = dict(Option.objects.filter(question_id__in=ids).values_list("id", "text"))
    key: dict[int, set[int]] = {}
    if graded:
        for qid, oid in Option.objects.filter(question_id__in=ids, correct=True).values_list(
            "question_id", "id"
        ):
            key.setdefault(qid, set()).add(oid)
    out = []
    for n, item in enumerate(attempt.paper, start=1):
        q = questions[item["q"]]
        chosen = [int(o) for o in attempt.answers.get(str(q.pk), [])]
        out.append(
            PaperItem(
                number=n,
                question_id=q.pk,
                kind=q.kind,
                category=q.category.name,
                stem=q.stem,
                options=[(oid, texts[oid]) for oid in item["o"]],
                chosen=chosen,
                right=(bool(chosen) and set(chosen) == key.get(q.pk, set())) if graded else None,
                rule_ref=q.rule_ref if graded else "",
            )
        )
    return out
