"""Demo: the question bank on the Zhongshan implementing opinions and the Guangdong rules
(``demo_bank``), by category, each question citing its clause; one question retired. The
sittings come with the certification round (``certification.demo.testing``)."""

from __future__ import annotations

from qnwmh.core.demo_context import DemoContext
from qnwmh.knowledge.demo_bank import CATEGORIES, QUESTIONS
from qnwmh.knowledge.models import Category, Option, Question


def build(ctx: DemoContext) -> None:
    author = ctx.users.get("city_admin")
    categories = {
        name: Category.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
        for i, name in enumerate(CATEGORIES, start=1)
    }
    for name, kind, stem, options, rule_ref, explanation in QUESTIONS:
        question, created = Question.objects.get_or_create(
            category=categories[name],
            stem=stem,
            defaults={
                "kind": kind,
                "rule_ref": rule_ref,
                "explanation": explanation,
                "created_by": author,
            },
        )
        if created:
            Option.objects.bulk_create(
                Option(question=question, text=text, correct=correct, sort_order=i)
                for i, (text, correct) in enumerate(options)
            )
    # A retired question stays in the bank (and in any paper that drew it), never drawn again.
    retired = Question.objects.filter(stem__startswith="实施意见提出要为交出").first()
    if retired is not None:
        Question.objects.filter(pk=retired.pk).update(active=False)
    ctx.extra["knowledge_categories"] = categories
