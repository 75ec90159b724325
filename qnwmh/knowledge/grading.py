"""Grading an attempt on the server: a question counts when the chosen options are exactly
its correct options; the score is the share of questions right, out of 100."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from qnwmh.knowledge.models import Attempt, Option, Question


@dataclass(frozen=True)
class Grade:
    score: Decimal
    passed: bool
    # {category code: {"name": ..., "correct": n, "total": n}}
    per_category: dict[str, Any]
    # question id -> answered right
    right: dict[int, bool]


def _percent(correct: int, total: int) -> Decimal:
    if total == 0:
        return Decimal("0.0")
    return (Decimal(100 * correct) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def grade(attempt: Attempt) -> Grade:
    question_ids = [item["q"] for item in attempt.paper]
    correct: dict[int, set[int]] = {qid: set() for qid in question_ids}
    for qid, oid in Option.objects.filter(question_id__in=question_ids, correct=True).values_list(
        "question_id", "id"
    ):
        correct[qid].add(oid)
    categories = {
        q.pk: (q.category.code, q.category.name)
        for q in Question.objects.filter(pk__in=question_ids).select_related("category")
    }
    per_category: dict[str, Any] = {}
    right: dict[int, bool] = {}
    for qid in question_ids:
        chosen = {int(o) for o in attempt.answers.get(str(qid), [])}
        right[qid] = bool(chosen) and chosen == correct[qid]
        code, name = categories[qid]
        row = per_category.setdefault(code, {"name": name, "correct": 0, "total": 0})
        row["total"] += 1
        row["correct"] += int(right[qid])
    for row in per_category.values():
        row["score"] = str(_percent(row["correct"], row["total"]))
    score = _percent(sum(right.values()), len(question_ids))
    return Grade(score, score >= attempt.exam.pass_score, per_category, right)
