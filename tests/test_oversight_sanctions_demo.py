"""The sanctions part's demo builder, on a few city titles: every situation it promises, made
through the services."""

from __future__ import annotations

import pytest

from qnwmh.collectives.models import TitleStatus
from qnwmh.core.actor import Role
from qnwmh.core.demo_context import DemoContext
from qnwmh.oversight.demo import sanctions as demo
from qnwmh.oversight.models import (
    Exit,
    Rectification,
    RectificationStatus,
    RevocationCategory,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from tests import factories as f
from tests import factories_oversight as fo

pytestmark = pytest.mark.django_db


def test_demo_builds_every_situation() -> None:
    body = f.body()
    titles = [fo.city_title(body, stars=2) for _ in range(7)]
    ctx = DemoContext()
    ctx.users["city_admin"] = f.user(None, Role.CITY_ADMIN, organisation=f.city())
    ctx.users["body"] = f.user(None, Role.BODY_ADMIN, organisation=body)
    ctx.users["manager_demo"] = f.user(
        None, Role.COLLECTIVE_MANAGER, collective=titles[0].collective
    )
    demo.build(ctx)
    imposed = Sanction.objects.filter(status=SanctionStatus.IMPOSED)
    assert imposed.filter(kind=SanctionKind.WARNING).count() == 2
    assert imposed.filter(kind=SanctionKind.STAR_DOWN).count() == 1
    assert imposed.filter(category=RevocationCategory.PRESS_EXPOSURE).count() == 1
    confirmed = imposed.get(category=RevocationCategory.FAILED_RECTIFICATION)
    assert Exit.objects.get(sanction=confirmed).plaque_recovered_on is not None
    assert Sanction.objects.filter(status=SanctionStatus.PROPOSED).count() == 1
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert {RectificationStatus.PASSED, RectificationStatus.MISSED} <= statuses
    ordered = list(Rectification.objects.filter(status=RectificationStatus.ORDERED))
    assert sorted(r.overdue() for r in ordered) == [False, True]
    assert sum(t.status == TitleStatus.REVOKED for t in _fresh(titles)) == 2


def _fresh(titles):
    for t in titles:
        t.refresh_from_db()
        yield t


def test_the_report_is_by_the_collectives_own_manager_one_without_a_login_if_need_be() -> None:
    titles = [fo.city_title(stars=2) for _ in range(2)]
    ctx = DemoContext()
    ctx.users["city_admin"] = f.user(None, Role.CITY_ADMIN, organisation=f.city())
    demo.build(ctx)
    passed = Rectification.objects.get(status=RectificationStatus.PASSED)
    assert passed.title in titles
    reporter = passed.reported_by
    assert reporter is not None and not reporter.has_usable_password()
    assert passed.collective_id in f.actor(reporter).collective_ids
