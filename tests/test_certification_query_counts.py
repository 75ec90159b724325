"""The certification and knowledge-test lists cost the same number of queries however many
rows they list (the workspace and the applications list are checked beside their pages)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qnwmh.certification.models import ApplicationResult, ApplicationStatus
from qnwmh.certification.services import scoring
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.knowledge.models import Category, Option, Question, QuestionKind
from tests import factories as f
from tests import factories_certification as fcert
from tests.querycount import assert_constant_queries
from tests.scoring_helpers import scores, setup


def _recommended(world: Any, s: Any) -> Any:
    c = f.collective(world.other_body, members=1)
    return fcert.application(s.round, c, status=ApplicationStatus.RECOMMENDED, area_=s.area)


def test_the_reviewers_sheet_list(world: Any) -> None:
    s = setup(world)
    client = world.client("reviewer")

    def grow() -> None:
        a = fcert.assignment(_recommended(world, s), s.reviewer)
        scoring.save_sheet(
            world.actor("reviewer"), assignment=a, score_set="site", scores=scores(), submit=True
        )

    assert_constant_queries(lambda: client.get(reverse("certification:my_sheets")), grow)


def test_the_citys_score_list(world: Any) -> None:
    s = setup(world)
    client = world.client("city_admin")

    def grow() -> None:
        for _ in range(2):
            ApplicationResult.objects.create(application=_recommended(world, s), combined=75)

    url = reverse("certification:scores", args=[s.round.code])
    assert_constant_queries(lambda: client.get(url), grow)


def test_the_question_bank_and_the_exam_list(world: Any) -> None:
    category = Category.objects.create(name="创建周期")
    client = world.client("city_admin")

    def grow() -> None:
        for _ in range(3):
            q = Question.objects.create(
                category=category,
                kind=QuestionKind.TRUE_FALSE,
                stem="报备在奇数年进行。",
                rule_ref="二",
            )
            Option.objects.create(question=q, text="对", correct=True, sort_order=0)
            Option.objects.create(question=q, text="错", sort_order=1)
        ensure_exam(system_actor(), fcert.cert_round())  # an exam more on the list

    assert_constant_queries(lambda: client.get(reverse("knowledge:bank")), grow)
    assert_constant_queries(lambda: client.get(reverse("knowledge:exams")), grow)
