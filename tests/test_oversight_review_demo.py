"""The re-review demo: last year's campaign closed with every outcome (a revocation ending the
title, an exempt title, a forced decision), this year's in progress."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Level, TitleStatus
from qnwmh.core.demo_context import DemoContext
from qnwmh.oversight.demo import review as demo
from qnwmh.oversight.models import AnnualReview, CaseStatus, Exit, ExitKind, Outcome, ReviewStatus
from tests import factories as f


def test_the_demo_has_a_finished_campaign_and_one_in_progress(world: Any) -> None:
    titles = [f.title(f.collective(world.body, name=f"石岐街道复核集体{i}")) for i in range(7)]
    f.title(titles[-1].collective, Level.PROVINCIAL, year=2025)
    ctx = DemoContext(seed=7)
    ctx.users["city_admin"] = world.users["city_admin"]
    demo.build(ctx)
    last = ctx.extra["oversight_review_last"]
    assert last.status == ReviewStatus.CLOSED and last.year == ctx.today.year - 1
    outcomes = set(last.cases.values_list("outcome", flat=True))
    assert set(Outcome.values) <= outcomes
    assert last.cases.filter(status=CaseStatus.EXEMPT).exists()
    assert last.cases.filter(forced=True).count() == 1
    revoked = last.cases.get(outcome=Outcome.REVOKE).title
    assert revoked.status == TitleStatus.REVOKED
    assert Exit.objects.get(title=revoked).kind == ExitKind.FAILED_REVIEW
    current = ctx.extra["oversight_review_current"]
    statuses = set(current.cases.values_list("status", flat=True))
    assert {CaseStatus.ASSESSED, CaseStatus.SELF_REPORTED, CaseStatus.AWAITING_SELF} <= statuses


def test_the_demo_needs_the_city_account(world: Any) -> None:
    demo.build(DemoContext(seed=7))
    assert not AnnualReview.objects.exists()
