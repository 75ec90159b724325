"""Eligibility arithmetic: worked examples and properties over random rosters."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from qnwmh.collectives.eligibility import age_on, check_eligibility
from qnwmh.collectives.models import Eligibility

ON = datetime.date(2027, 3, 31)


@dataclass
class M:
    birth_date: datetime.date
    nationality: str = "CN"
    is_leader: bool = False


@dataclass
class R:
    members_min: int = 6
    members_max: int = 200
    youth_age_max: int = 35
    youth_share_min_pct: int = 50
    leader_age_max: int = 40
    nationals_share_min_pct: int = 60
    leader_must_be_national: bool = True
    near_margin_members: int = 1
    near_margin_pct: int = 5
    near_margin_years: int = 1


def born_aged(age: int) -> datetime.date:
    return ON.replace(year=ON.year - age) - datetime.timedelta(days=10)


def roster(
    n: int, *, age: int = 28, leader_age: int = 30, foreign: int = 0, old: int = 0
) -> list[M]:
    members = [M(born_aged(leader_age), is_leader=True)]
    members += [M(born_aged(45)) for _ in range(old)]
    members += [M(born_aged(age), nationality="XX") for _ in range(foreign)]
    members += [M(born_aged(age)) for _ in range(n - len(members))]
    return members


def status_of(result, code: str) -> Eligibility:
    return next(c.status for c in result.checks if c.code == code)


def test_a_healthy_roster_meets_every_rule():
    result = check_eligibility(roster(12), R(), ON)
    assert result.status == Eligibility.MET
    assert {c.code for c in result.checks} == {
        "size",
        "youth_share",
        "nationals_share",
        "leader_age",
        "leader_national",
    }


def test_too_few_members_fail_and_the_minimum_is_near():
    assert status_of(check_eligibility(roster(5), R(), ON), "size") == Eligibility.NOT_MET
    assert status_of(check_eligibility(roster(6), R(), ON), "size") == Eligibility.NEAR
    assert status_of(check_eligibility(roster(7), R(), ON), "size") == Eligibility.MET


def test_leader_over_forty_fails_and_forty_is_near():
    assert (
        status_of(check_eligibility(roster(10, leader_age=41), R(), ON), "leader_age")
        == Eligibility.NOT_MET
    )
    assert (
        status_of(check_eligibility(roster(10, leader_age=40), R(), ON), "leader_age")
        == Eligibility.NEAR
    )
    assert (
        status_of(check_eligibility(roster(10, leader_age=38), R(), ON), "leader_age")
        == Eligibility.MET
    )


def test_youth_share_is_measured_at_the_reference_date():
    # 5 of 10 aged 45: exactly 50 % young -> met at the limit, so near.
    result = check_eligibility(roster(10, old=5), R(), ON)
    assert status_of(result, "youth_share") == Eligibility.NEAR
    assert (
        status_of(check_eligibility(roster(10, old=6), R(), ON), "youth_share")
        == Eligibility.NOT_MET
    )


def test_a_35th_birthday_still_counts_as_young_and_36_does_not():
    rules = R()
    members = roster(6) + [M(born_aged(35)) for _ in range(4)]
    assert status_of(check_eligibility(members, rules, ON), "youth_share") == Eligibility.MET
    members = [M(born_aged(30), is_leader=True)] + [M(born_aged(36)) for _ in range(9)]
    assert status_of(check_eligibility(members, rules, ON), "youth_share") == Eligibility.NOT_MET


def test_foreign_majority_and_foreign_leader_fail():
    result = check_eligibility(roster(10, foreign=5), R(), ON)
    assert status_of(result, "nationals_share") == Eligibility.NOT_MET
    members = roster(10)
    members[0].nationality = "XX"
    assert status_of(check_eligibility(members, R(), ON), "leader_national") == Eligibility.NOT_MET


def test_no_leader_or_two_leaders_fail():
    members = roster(10)
    members[0].is_leader = False
    assert check_eligibility(members, R(), ON).status == Eligibility.NOT_MET
    members[0].is_leader = members[1].is_leader = True
    assert check_eligibility(members, R(), ON).status == Eligibility.NOT_MET


def test_age_turns_over_on_the_birthday():
    assert age_on(datetime.date(2000, 6, 15), datetime.date(2035, 6, 14)) == 34
    assert age_on(datetime.date(2000, 6, 15), datetime.date(2035, 6, 15)) == 35
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2035, 2, 28)) == 34
    assert age_on(datetime.date(2000, 2, 29), datetime.date(2035, 3, 1)) == 35


ages = st.integers(min_value=16, max_value=70)
members_st = st.lists(st.tuples(ages, st.booleans()), min_size=0, max_size=60)


@given(members_st, ages)
def test_statuses_agree_with_a_direct_count(people, leader_age):
    rules = R()
    members = [M(born_aged(leader_age), is_leader=True)]
    members += [M(born_aged(a), nationality="CN" if cn else "XX") for a, cn in people]
    result = check_eligibility(members, rules, ON)
    n = len(members)
    young = sum(1 for m in members if age_on(m.birth_date, ON) <= rules.youth_age_max)
    nationals = sum(1 for m in members if m.nationality == "CN")
    assert (status_of(result, "size") == Eligibility.NOT_MET) == (
        not rules.members_min <= n <= rules.members_max
    )
    assert (status_of(result, "youth_share") == Eligibility.NOT_MET) == (
        100 * young < rules.youth_share_min_pct * n
    )
    assert (status_of(result, "nationals_share") == Eligibility.NOT_MET) == (
        100 * nationals < rules.nationals_share_min_pct * n
    )
    assert (status_of(result, "leader_age") == Eligibility.NOT_MET) == (
        leader_age > rules.leader_age_max
    )
    # The overall status is the worst of the rule statuses.
    worst = {Eligibility.NOT_MET: 2, Eligibility.NEAR: 1, Eligibility.MET: 0}
    assert worst[result.status] == max(worst[c.status] for c in result.checks)


@given(members_st, ages, st.integers(min_value=1, max_value=10))
def test_adding_a_young_national_never_breaks_the_share_rules(people, leader_age, extra):
    rules = R()
    members = [M(born_aged(leader_age), is_leader=True)]
    members += [M(born_aged(a), nationality="CN" if cn else "XX") for a, cn in people]
    before = check_eligibility(members, rules, ON)
    after = check_eligibility(members + [M(born_aged(25)) for _ in range(extra)], rules, ON)
    for code in ("youth_share", "nationals_share"):
        if status_of(before, code) != Eligibility.NOT_MET:
            assert status_of(after, code) != Eligibility.NOT_MET
