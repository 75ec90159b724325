"""The reviewers' demo over a round under review: areas over every town, the pool with the
demo reviewer, panels, a draw per area and the reviewers' answers."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.demo import reviewers as demo_reviewers
from qnwmh.certification.models import (
    Application,
    Assignment,
    AssignmentDraw,
    ConflictDeclaration,
    Panel,
    ReviewArea,
    Reviewer,
)
from qnwmh.core.actor import Role
from qnwmh.core.demo_context import DemoContext
from tests import factories as f
from tests import factories_certification as fcert


def test_demo_builds_the_pool_panels_and_a_draw(world: Any) -> None:
    for _ in range(4):
        f.town()
    rnd = fcert.cert_round()
    for i in range(9):
        town_body = world.body if i % 3 == 0 else world.other_body
        c = f.collective(town_body, name=f"演示集体{i}", members=1)
        fcert.application(rnd, c, status="recommended")
    ctx = DemoContext()
    ctx.users = {
        "city_admin": world.users["city_admin"],
        "reviewer_demo": f.user("reviewer_demo", Role.REVIEWER),
    }
    demo_reviewers.build(ctx)

    assert ReviewArea.objects.count() == 3
    assert Reviewer.objects.count() == 12
    assert Panel.objects.filter(round=rnd).count() == 3
    # Applications submitted before the areas existed were placed by their town.
    assert not Application.objects.filter(round=rnd, area__isnull=True).exists()
    assert AssignmentDraw.objects.filter(round=rnd).exists()
    mine = Assignment.objects.filter(reviewer__user=ctx.users["reviewer_demo"])
    assert mine.exists()
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert {"accepted", "declined", "cancelled"} <= statuses
    assert ConflictDeclaration.objects.count() == 1
