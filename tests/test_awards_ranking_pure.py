"""The pure ranking (``awards.ranking``): the cut never passes a body's cap, ties, per-area
normalisation, the test gate, special recommendations, appraisal. No database."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnwmh.awards.ranking import (
    EXCLUDED,
    LISTED,
    RESERVE,
    Candidate,
    Exclusion,
    Weights,
    appraisal_score,
    rank,
)
from qnwmh.cycles.arithmetic import cap_for

D = Decimal
NO_EXTRAS = Weights(league_pct=0, appraisal_pct=0)


def cand(app_id: int, combined: str | None, body: int = 1, **kw: object) -> Candidate:
    return Candidate(
        application_id=app_id,
        body_id=body,
        area_id=kw.pop("area", None),  # type: ignore[arg-type]
        combined=None if combined is None else D(combined),
        **kw,  # type: ignore[arg-type]
    )


scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
candidate_lists = st.lists(
    st.tuples(
        st.integers(1, 4),  # body
        st.one_of(st.none(), scores),  # combined
        st.booleans(),  # special
        st.one_of(st.none(), st.booleans()),  # test passed
        st.integers(0, 3),  # area
        scores,  # league support
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(
    rows=candidate_lists,
    quotas=st.dictionaries(st.integers(1, 4), st.integers(0, 12)),
    per_area=st.booleans(),
    league=st.integers(0, 50),
    appraisal=st.integers(0, 50),
)
def test_the_cut_never_exceeds_the_smaller_of_quota_and_two_to_one(
    rows: list, quotas: dict, per_area: bool, league: int, appraisal: int
) -> None:
    candidates = [
        Candidate(
            application_id=i,
            body_id=body,
            area_id=area,
            combined=combined,
            test_passed=passed,
            test_score=D(70) if passed else None,
            special=special,
            league_support=support,
        )
        for i, (body, combined, special, passed, area, support) in enumerate(rows, start=1)
    ]
    accepted = {b: sum(1 for r in rows if r[0] == b) for b in range(1, 5)}
    caps = {b: min(quotas.get(b, 0), cap_for(accepted[b], 2)) for b in range(1, 5)}
    weights = Weights(
        league_pct=league,
        appraisal_pct=appraisal,
        area_normalisation="per_area" if per_area else "none",
    )
    ranking = rank(candidates, weights, caps)
    for body, n in ranking.listed_per_body().items():
        assert n <= caps[body]
    assert len(ranking.rows) == len(candidates)
    ranked = [r for r in ranking.rows if r.status != EXCLUDED]
    # City positions are 1..n in final-score order; a body fills its cap when it can.
    assert [r.city_position for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.final >= b.final for a, b in itertools.pairwise(ranked))  # type: ignore[operator]
    for body in range(1, 5):
        eligible = [r for r in ranked if r.candidate.body_id == body]
        assert ranking.listed_per_body().get(body, 0) == min(caps[body], len(eligible))


def test_the_test_gate_and_a_missing_score_exclude_with_a_reason() -> None:
    ranking = rank(
        [
            cand(1, "90", test_passed=False, test_score=D(40)),
            cand(2, "80", test_passed=False),
            cand(3, None, test_passed=True, test_score=D(90)),
            cand(4, "70", test_passed=True, test_score=D(75)),
            cand(5, "60"),  # a round without a knowledge test: no gate
        ],
        NO_EXTRAS,
        {1: 5},
    )
    by = ranking.by_id
    assert (by[1].status, by[1].exclusion) == (EXCLUDED, Exclusion.TEST_FAILED)
    assert (by[2].status, by[2].exclusion) == (EXCLUDED, Exclusion.TEST_ABSENT)
    assert (by[3].status, by[3].exclusion) == (EXCLUDED, Exclusion.NO_SCORE)
    assert by[1].city_position is None
    assert [by[4].status, by[5].status] == [LISTED, LISTED]
    assert [by[4].city_position, by[5].city_position] == [1, 2]


@pytest.mark.parametrize(
    ("tie_break", "winner"),
    [("test,defence", 1), ("defence,test", 2), ("site,test", 3)],
)
def test_ties_go_by_the_rules_tie_break(tie_break: str, winner: int) -> None:
    candidates = [
        cand(1, "80", test_score=D(95), defence=D(70), site=D(70)),
        cand(2, "80", test_score=D(80), defence=D(90), site=D(60)),
        cand(3, "80", test_score=D(70), defence=D(60), site=D(99)),
    ]
    ranking = rank(candidates, Weights(0, 0, tie_break=tie_break), {1: 1})
    assert ranking.rows[0].application_id == winner
    assert ranking.rows[0].status == LISTED
    assert [r.status for r in ranking.rows[1:]] == [RESERVE, RESERVE]


def test_full_ties_go_by_the_bodys_own_order_then_id() -> None:
    candidates = [cand(7, "80", body_rank=2), cand(5, "80", body_rank=1), cand(3, "80")]
    ranking = rank(candidates, NO_EXTRAS, {1: 3})
    assert [r.application_id for r in ranking.rows] == [5, 7, 3]


def test_special_recommendations_take_places_first_inside_the_cap() -> None:
    candidates = [
        cand(1, "95"),
        cand(2, "90"),
        cand(3, "70", special=True),
        cand(4, "60", special=True),
        cand(5, "50", special=True),
    ]
    ranking = rank(candidates, NO_EXTRAS, {1: 2})
    by = ranking.by_id
    assert [by[i].status for i in (1, 2, 3, 4, 5)] == [RESERVE, RESERVE, LISTED, LISTED, RESERVE]
    assert by[3].special_place and by[4].special_place and not by[5].special_place
    # Positions stay in score order: the flag, not the position, says why it is listed.
    assert [by[i].body_position for i in (1, 3, 5)] == [1, 3, 5]


def test_per_area_normalisation_maps_each_area_onto_the_city() -> None:
    # Area 1 marks harshly, area 2 generously; after mapping, the best of each are level.
    candidates = [
        cand(1, "60", area=1),
        cand(2, "70", area=1),
        cand(3, "80", area=2),
        cand(4, "90", area=2),
        cand(5, "50", area=3),  # an area of one: shifted onto the city mean only
    ]
    w = Weights(0, 0, area_normalisation="per_area")
    ranking = rank(candidates, w, {1: 5})
    by = ranking.by_id
    assert by[2].final == by[4].final and by[1].final == by[3].final
    city_mean = D(350) / 5
    assert by[5].adjusted == city_mean
    plain = rank(candidates, NO_EXTRAS, {1: 5}).by_id
    assert plain[4].final == D("90.00") and plain[5].final == D("50.00")


def test_an_area_without_spread_is_only_shifted() -> None:
    candidates = [cand(1, "80", area=1), cand(2, "80", area=1), cand(3, "60", area=2)]
    w = Weights(0, 0, area_normalisation="per_area")
    ranking = rank(candidates, w, {1: 3}).by_id
    city_mean = ((D(80) + D(80) + D(60)) / 3).quantize(D("0.0001"))
    assert ranking[1].adjusted == ranking[2].adjusted == city_mean


def test_final_score_weights_league_support_and_appraisal() -> None:
    c = cand(1, "80", league_support=D(50), ratings=4, rating_avg=D(5), upheld=1)
    row = rank([c], Weights(league_pct=10, appraisal_pct=20, penalty_per_upheld=10), {1: 1}).rows[0]
    assert row.appraisal == D(90)  # 5 stars = 100, minus one upheld complaint
    assert row.final == D("80") * D("0.7") + D(5) + D(18)


def test_appraisal_without_ratings_is_neutral_and_never_below_zero() -> None:
    assert appraisal_score(cand(1, "80"), 10) == D(60)
    assert appraisal_score(cand(1, "80", ratings=2, rating_avg=D(1), upheld=3), 10) == 0
    assert appraisal_score(cand(1, "80", ratings=2, rating_avg=D(3)), 10) == D(50)


def test_missing_league_support_counts_zero() -> None:
    with_support = rank([cand(1, "80", league_support=D(100))], Weights(10, 0), {1: 1})
    without = rank([cand(1, "80")], Weights(10, 0), {1: 1})
    assert with_support.rows[0].final == D("82.00")
    assert without.rows[0].final == D("72.00")


def test_a_body_without_a_cap_lists_nobody() -> None:
    ranking = rank([cand(1, "99", body=9), cand(2, "50", body=1)], NO_EXTRAS, {1: 1})
    assert ranking.by_id[1].status == RESERVE and ranking.by_id[2].status == LISTED


def test_weights_refuse_shares_over_a_hundred_and_unknown_tie_breaks() -> None:
    with pytest.raises(ValueError):
        Weights(league_pct=60, appraisal_pct=50)
    with pytest.raises(ValueError):
        Weights(tie_break="luck")


@given(rows=candidate_lists)
@settings(max_examples=100, deadline=None)
def test_inputs_round_trip(rows: list) -> None:
    for i, (body, combined, special, passed, area, support) in enumerate(rows, start=1):
        c = Candidate(
            application_id=i,
            body_id=body,
            area_id=area,
            combined=combined,
            test_passed=passed,
            special=special,
            league_support=support,
            rating_avg=D("4.25"),
            ratings=3,
            body_rank=i,
        )
        assert Candidate.from_inputs(i, c.to_inputs()) == c
