"""The demo's question bank and the round's sittings."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.demo import testing as demo_testing
from qnwmh.certification.models import ApplicationStatus
from qnwmh.core.demo_context import DemoContext
from qnwmh.knowledge import demo
from qnwmh.knowledge.demo_bank import QUESTIONS
from qnwmh.knowledge.models import Attempt, AttemptStatus, Category, Question
from qnwmh.knowledge.selectors import results_for
from tests import factories as f
from tests import factories_certification as fcert


def test_the_bank_cites_a_rule_for_every_question(world: Any) -> None:
    demo.build(DemoContext())
    demo.build(DemoContext())  # a second run adds nothing
    assert Question.objects.count() == len(QUESTIONS) >= 40
    assert Category.objects.count() >= 5
    assert not Question.objects.filter(rule_ref="").exists()
    assert Question.objects.filter(active=False).count() == 1
    for q in Question.objects.prefetch_related("options"):
        right = sum(o.correct for o in q.options.all())
        assert right >= (2 if q.kind == "multiple" else 1)
        assert q.kind == "multiple" or right == 1


def test_the_rounds_sittings(world: Any) -> None:
    ctx = DemoContext()
    ctx.users = {"city_admin": world.users["city_admin"], "manager_demo": world.users["manager"]}
    demo.build(ctx)
    r = fcert.cert_round()
    recommended = [
        fcert.application(r, f.collective(world.body), status=ApplicationStatus.RECOMMENDED)
        for _i in range(5)
    ]
    fcert.application(r, world.collective)  # the demo manager's, submitted
    submitted = [fcert.application(r, f.collective(world.body)) for _i in range(3)]
    assert submitted

    demo_testing.build(ctx)

    exam = r.__class__.objects.get(pk=r.pk).exam
    results = results_for(exam, [a.collective_id for a in recommended])
    assert all(res.passed for res in results.values())
    assert any(res.attempts == 2 for res in results.values())  # failed, then passed the retake
    assert Attempt.objects.filter(exam=exam, passed=False).exists()
    mine = Attempt.objects.get(exam=exam, collective=world.collective)
    assert mine.status == AttemptStatus.OPEN and mine.taker == world.users["manager"]
    assert 0 < len(mine.answers) < len(mine.paper)


def test_an_exam_made_without_counts_draws_from_every_category(world: Any) -> None:
    import datetime

    from django.utils import timezone

    from qnwmh.core.actor import system_actor
    from qnwmh.knowledge.services import create_exam

    demo.build(DemoContext())
    now = timezone.now()
    exam = create_exam(
        system_actor(),
        name="测试",
        purpose="certification.round",
        category_counts={},
        time_limit_minutes=30,
        pass_score=60,
        retakes=1,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=1),
    )
    active = Category.objects.filter(questions__active=True).distinct().count()
    assert len(exam.category_counts) == active
    assert set(exam.category_counts.values()) <= {4, 5}
