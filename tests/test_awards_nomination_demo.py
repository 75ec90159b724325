"""The nomination demo: last year's round with one nomination granted (the provincial title
recorded, the city title exempt from re-review), one not granted, one pending; this year's
round open with titles to nominate."""

from __future__ import annotations

from typing import Any

from qnwmh.awards.demo import nomination as demo
from qnwmh.awards.models import NominationRound, NominationStatus
from qnwmh.awards.selectors.nomination import eligible_titles, exempt_from_city_review
from qnwmh.core.demo_context import DemoContext
from tests import factories as f


def test_the_demo_has_a_granted_a_refused_and_a_pending_nomination(world: Any) -> None:
    for i in range(4):
        f.title(f.collective(world.body, name=f"石岐街道示范集体{i}"))
    ctx = DemoContext(seed=7)
    ctx.users["city_admin"] = world.users["city_admin"]
    demo.build(ctx)
    last = ctx.extra["awards_nomination_round"]
    assert last.year == ctx.today.year - 1 and last.deadline < ctx.today
    by_status = {n.status: n for n in last.nominations.all()}
    assert set(by_status) == {
        NominationStatus.GRANTED,
        NominationStatus.NOT_GRANTED,
        NominationStatus.NOMINATED,
    }
    granted = by_status[NominationStatus.GRANTED]
    assert granted.provincial_title.level == "provincial"
    assert granted.provincial_title.year == last.year
    assert granted.title_id in exempt_from_city_review([granted.title_id])
    assert by_status[NominationStatus.NOT_GRANTED].outcome_note
    current = NominationRound.objects.exclude(pk=last.pk).get()
    assert current.deadline > ctx.today and eligible_titles(current).exists()


def test_the_demo_needs_the_city_account(world: Any) -> None:
    demo.build(DemoContext(seed=7))
    assert not NominationRound.objects.exists()
