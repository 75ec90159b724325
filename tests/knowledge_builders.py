"""Builders for the knowledge test: a bank, an exam and a round's exam a manager may sit."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from qnwmh.certification.models import CertificationRound
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.knowledge.models import Category, Exam, Option, Question
from tests import factories_certification as fcert

_seq = itertools.count(1)


def category(name: str | None = None, questions: int = 0, **kw: Any) -> Category:
    c = Category.objects.create(name=name or f"类别{next(_seq)}", **kw)
    for _i in range(questions):
        question(c)
    return c


def question(c: Category, kind: str = "single", options: int = 4, **kw: Any) -> Question:
    n = next(_seq)
    q = Question.objects.create(
        category=c, kind=kind, stem=kw.pop("stem", f"题目{n}"), rule_ref="实施意见 三", **kw
    )
    if kind == "true_false":
        texts = [("正确", True), ("错误", False)]
    elif kind == "multiple":
        texts = [(f"选项{n}-{i}", i < 2) for i in range(options)]
    else:
        texts = [(f"选项{n}-{i}", i == 0) for i in range(options)]
    Option.objects.bulk_create(
        Option(question=q, text=t, correct=ok, sort_order=i) for i, (t, ok) in enumerate(texts)
    )
    return q


def exam(counts: dict[Category, int], **kw: Any) -> Exam:
    now = timezone.now()
    values: dict[str, Any] = {
        "name": "测试",
        "purpose": "test.none",
        "time_limit_minutes": 30,
        "pass_score": 60,
        "retakes": 1,
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=1),
    }
    values.update(kw)
    return Exam.objects.create(category_counts={c.code: n for c, n in counts.items()}, **values)


def round_exam(world: Any, *, questions: int = 6, per_category: int = 3) -> Exam:
    """A round in review with an application of the world's collective and its exam over a
    two-category bank: the world's manager may sit it."""
    r: CertificationRound = fcert.cert_round()
    fcert.application(r, world.collective)
    categories = [category(questions=questions), category(questions=questions)]
    e = ensure_exam(system_actor(), r)
    e.category_counts = {c.code: per_category for c in categories}
    e.save()
    return e


def key(question_id: int) -> list[int]:
    """The correct option ids of a question."""
    return list(
        Option.objects.filter(question_id=question_id, correct=True).values_list("id", flat=True)
    )


def wrong(question_id: int) -> list[int]:
    return list(
        Option.objects.filter(question_id=question_id, correct=False).values_list("id", flat=True)
    )[:1]
