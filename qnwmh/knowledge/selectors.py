"""Reads over the question bank, exams and attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qnwmh.knowledge.models import Attempt, AttemptStatus, Exam


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
