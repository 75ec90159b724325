"""Aggregation: the three methods, the combined score, the divergence flag, recompute on
submit and reopen, the city's action, and properties over random totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnwmh.certification.models import ApplicationResult, AssignmentStatus
from qnwmh.certification.services import aggregation, scoring
from qnwmh.certification.services.aggregation import (
    Settings,
    combined,
    mean,
    set_scores,
    trimmed_mean,
    zscores,
)
from qnwmh.core.permissions import PermissionDenied
from tests import factories as f
from tests import factories_certification as fcert
from tests.scoring_helpers import scores, setup

D = Decimal


def test_trimmed_mean_drops_each_side_only_when_enough_remain() -> None:
    assert trimmed_mean([D(60), D(70), D(80), D(95), D(20)], 1) == D("70.00")
    assert trimmed_mean([D(60), D(90)], 1) == D("75.00")  # too few: all kept
    assert trimmed_mean([D(10), D(60), D(90)], 1) == D("60.00")


def test_combined_weighs_the_sets_and_waits_for_both() -> None:
    assert combined(D(80), D(60), 50) == D("70.00")
    assert combined(D(80), D(60), 70) == D("74.00")
    assert combined(D(80), None, 50) is None
    assert combined(D(80), None, 100) == D(80)
    assert combined(None, D(60), 0) == D(60)


def test_zscore_evens_out_a_harsh_reviewer() -> None:
    # Reviewer 1 is harsh (20 points lower on everything); reviewer 2 scores only app 1.
    marks = [
        (1, 1, D(60)),
        (2, 1, D(50)),
        (1, 2, D(90)),
        (2, 3, D(85)),
        (1, 3, D(80)),
        (2, 2, D(75)),
    ]
    out = zscores(marks)
    # app 1 is ranked above app 2 by every reviewer: its normalised score is higher
    assert out[1] > out[2]
    assert Decimal(0) <= out[2] <= Decimal(100)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10000), min_size=1, max_size=9), st.integers(0, 3))
def test_mean_and_trimmed_mean_stay_within_the_totals(raw: list[int], k: int) -> None:
    totals = [D(t) / 100 for t in raw]
    for value in (mean(totals), trimmed_mean(totals, k)):
        assert min(totals) - D("0.01") <= value <= max(totals) + D("0.01")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 100), min_size=4, max_size=4), min_size=3, max_size=3),
    st.integers(-30, 30),
)
def test_zscore_ranking_ignores_a_reviewers_constant_bias(grid: list[list[int]], bias: int) -> None:
    """Every reviewer scores every application; shifting one reviewer's totals by a constant
    leaves the applications' order unchanged."""
    marks = [(app, rv, D(grid[rv][app])) for rv in range(3) for app in range(4)]
    shifted = [(a, r, t + bias if r == 0 else t) for a, r, t in marks]
    base, moved = zscores(marks), zscores(shifted)

    def order(scores: dict[int, Decimal]) -> list[int]:
        return sorted(scores, key=lambda a: (scores[a], a))

    # equal normalised scores may tie differently after rounding; compare untied pairs only
    for a in range(4):
        for b in range(4):
            if base[a] - base[b] > D("0.05"):
                assert moved[a] >= moved[b]


def _set_rules(s: Any, **rules: Any) -> None:
    cycle = s.round.cycle
    cycle.rules_snapshot = {**(cycle.rules_snapshot or {}), **rules}
    cycle.save()


def _submit(assignment: Any, score_set: str, points: Any) -> None:
    scoring.save_sheet(
        f.actor(assignment.reviewer.user),
        assignment=assignment,
        score_set=score_set,
        scores=scores(points),
        submit=True,
    )


def test_each_submit_recomputes_the_application(world: Any) -> None:
    s = setup(world)
    _set_rules(s, score_aggregation="mean", site_weight_pct=60, divergence_max_points=20)
    _submit(s.mine, "site", 90)
    _submit(s.chairs, "site", 80)
    result = ApplicationResult.objects.get(application=s.app)
    assert (result.site_score, result.site_sheets, result.combined) == (D("85.00"), 2, None)
    _submit(s.mine, "defence", 70)
    _submit(s.thirds, "site", 60)
    result.refresh_from_db()
    # site (90+80+60)/3 = 76.67; combined 76.67×0.6 + 70×0.4 = 74.00
    assert result.site_score == D("76.67") and result.defence_score == D("70.00")
    assert result.combined == D("74.00")
    # spread 30 > 20: flagged
    assert result.spread == D("30.00") and result.divergent


def test_trimmed_mean_under_the_rules(world: Any) -> None:
    s = setup(world)
    _set_rules(s, score_aggregation="trimmed_mean", trim_each_side=1, divergence_max_points=50)
    for a, points in ((s.mine, 95), (s.chairs, 80), (s.thirds, 61)):
        _submit(a, "site", points)
    result = ApplicationResult.objects.get(application=s.app)
    assert result.site_score == D("80.00") and result.method == "trimmed_mean"
    assert not result.divergent


def test_reopen_and_cancelled_assignments_leave_the_aggregate(world: Any) -> None:
    s = setup(world)
    _set_rules(s, score_aggregation="mean")
    _submit(s.mine, "site", 90)
    _submit(s.chairs, "site", 70)
    sheet = s.mine.sheets.get()
    scoring.reopen_sheet(f.actor(s.chair.user), sheet=sheet, reason="复核")
    assert ApplicationResult.objects.get(application=s.app).site_score == D("70.00")
    # a conflict declared after scoring cancels the assignment: its sheet stops counting
    s.chairs.status = AssignmentStatus.CANCELLED
    s.chairs.save()
    aggregation.compute_round(s.round)
    result = ApplicationResult.objects.get(application=s.app)
    assert (result.site_score, result.site_sheets) == (None, 0)


def test_the_city_aggregates_the_round_with_zscores(world: Any) -> None:
    s = setup(world)
    other = fcert.application(s.round, world.other_collective, status="recommended", area_=s.area)
    extra = [fcert.assignment(other, rv) for rv in (s.reviewer, s.chair, s.third)]
    _set_rules(s, score_aggregation="zscore")
    for a, points in zip((s.mine, s.chairs, s.thirds), (90, 70, 85), strict=True):
        _submit(a, "site", points)
    for a, points in zip(extra, (80, 60, 75), strict=True):
        _submit(a, "site", points)
    with pytest.raises(PermissionDenied):
        aggregation.aggregate_round(world.actor("body_admin"), cert_round=s.round)
    assert aggregation.aggregate_round(world.actor("city_admin"), cert_round=s.round) == 2
    first = ApplicationResult.objects.get(application=s.app)
    second = ApplicationResult.objects.get(application=other)
    assert first.method == "zscore" and first.site_score > second.site_score


def test_set_scores_follow_the_method() -> None:
    marks = [(1, 1, D(90)), (1, 2, D(50)), (1, 3, D(70)), (1, 4, D(71))]
    base = {"trim_each_side": 1, "site_weight_pct": 50, "divergence_max_points": 20}
    assert set_scores(marks, Settings(method="mean", **base)) == {1: D("70.25")}
    assert set_scores(marks, Settings(method="trimmed_mean", **base)) == {1: D("70.50")}


def test_one_applications_zscore_matches_the_rounds(world: Any) -> None:
    """The per-submit recompute (SQL aggregates) and the round's (in memory) agree."""
    s = setup(world)
    other = fcert.application(s.round, world.other_collective, status="recommended", area_=s.area)
    extra = [fcert.assignment(other, rv) for rv in (s.reviewer, s.chair, s.third)]
    _set_rules(s, score_aggregation="zscore")
    for a, points in zip(
        (*extra, s.mine, s.chairs, s.thirds), (80, 60, 75, 91, 72, 84), strict=True
    ):
        _submit(a, "site", points)
    after_submit = ApplicationResult.objects.get(application=s.app).site_score
    aggregation.compute_round(s.round)
    assert ApplicationResult.objects.get(application=s.app).site_score == after_submit
