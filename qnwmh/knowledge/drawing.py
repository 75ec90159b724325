"""Drawing a paper: reproducible from the attempt's seed.

The same seed over the same bank gives the same paper, so a disputed paper can be drawn again
(questions are never deleted, only retired, and the paper keeps the ids it drew)."""

from __future__ import annotations

import random
import secrets
from typing import Any

from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError
from qnwmh.knowledge.models import Category, Exam, Option, Question


def new_seed() -> int:
    # Positive and within a signed 63-bit BigIntegerField.
    return secrets.randbits(62)


def paper_questions(exam: Exam, seed: int) -> list[Question]:
    """The questions of the paper drawn with ``seed``, in the order shown."""
    rng = random.Random(seed)
    categories = {c.code: c for c in Category.objects.filter(code__in=exam.category_counts)}
    drawn: list[Question] = []
    # Categories in a fixed order (their codes), each drawing from its active questions by id.
    for code in sorted(exam.category_counts):
        count = int(exam.category_counts[code] or 0)
        if count <= 0:
            continue
        category = categories.get(code)
        pool = (
            list(Question.objects.filter(category=category, active=True).order_by("id"))
            if category
            else []
        )
        if len(pool) < count:
            raise DomainError(
                _("题库中“%(category)s”类别的启用题目只有 %(have)s 道，不够抽取 %(need)s 道。")
                % {"category": category or code, "have": len(pool), "need": count}
            )
        drawn.extend(rng.sample(pool, count))
    if not drawn:
        raise DomainError(_("这项测试还没有设置各类别的题数。"))
    rng.shuffle(drawn)
    return drawn


def draw_paper(exam: Exam, seed: int) -> list[dict[str, Any]]:
    """[{"q": question id, "o": [option ids in the order shown]}] for ``seed``."""
    rng = random.Random(seed ^ 0x5EED)
    questions = paper_questions(exam, seed)
    options: dict[int, list[int]] = {}
    for question_id, option_id in (
        Option.objects.filter(question__in=questions)
        .order_by("question_id", "sort_order", "id")
        .values_list("question_id", "id")
    ):
        options.setdefault(question_id, []).append(option_id)
    paper = []
    for q in questions:
        shown = list(options.get(q.pk, []))
        # True/false keeps its natural order (对 before 错); the others are shuffled.
        if q.kind != "true_false":
            rng.shuffle(shown)
        paper.append({"q": q.pk, "o": shown})
    return paper
