"""The ranking demo: league support for the certifying round, and the finished earlier cycle
frozen into a shortlist through the service for the later demos."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.awards.demo import ranking as demo_ranking
from qnwmh.awards.models import EntryStatus, LeagueSupport
from qnwmh.certification.models import ApplicationStatus
from qnwmh.core.demo_context import DemoContext
from qnwmh.cycles.models import Phase
from tests import factories as f
from tests import factories_awards as fa
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def test_demo_supports_the_live_round_and_freezes_the_earlier_cycle(world: Any) -> None:
    live, live_apps = fa.scored_round([world.body], per_body=3, status="review")
    current = fc.cycle(session_no=live.cycle.session_no + 1)
    for body in (world.body, world.other_body):
        for i in range(demo_ranking.REGISTERED):
            f.collective(body, name=f"{body.short_name}演示集体{i}", members=8)
    ctx = DemoContext()
    ctx.users = {"city_admin": world.users["city_admin"]}
    ctx.extra["cycle"] = current

    demo_ranking.build(ctx)

    assert LeagueSupport.objects.filter(application__in=live_apps).count() == 3
    shortlist = ctx.extra["awards_shortlist"]
    earlier = shortlist.round.cycle
    assert earlier.session_no == live.cycle.session_no - 1
    assert earlier.phase == Phase.CLOSED and earlier.rules_snapshot
    assert earlier.registration_year == live.cycle.registration_year - 2
    entries = shortlist.entries.all()
    assert entries.count() == 2 * demo_ranking.PER_BODY
    assert (
        shortlist.round.applications.filter(status=ApplicationStatus.RECOMMENDED).count()
        == 2 * demo_ranking.PER_BODY
    )
    per_body = {
        b: entries.filter(body_id=b, status=EntryStatus.LISTED).count()
        for b in (world.body.id, world.other_body.id)
    }
    assert per_body == {world.body.id: demo_ranking.QUOTA, world.other_body.id: demo_ranking.QUOTA}
    assert entries.filter(status=EntryStatus.RESERVE).count() == 2 * (
        demo_ranking.PER_BODY - demo_ranking.QUOTA
    )
    assert all(e.inputs["league_support"] for e in entries)
