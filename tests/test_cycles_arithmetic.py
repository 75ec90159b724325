"""Property tests of the quota formula and the 2:1 cap."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from qnwmh.cycles.arithmetic import cap_for, quota_for

ks = st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=3)
bases = st.integers(min_value=0, max_value=100_000)


@given(bases, ks)
def test_quota_is_at_least_one_and_close_to_k_times_base(base: int, k: Decimal) -> None:
    q = quota_for(base, k)
    assert q >= 1
    exact = k * base
    assert q == 1 or abs(Decimal(q) - exact) <= Decimal("0.5")
    if exact >= 1:
        assert abs(Decimal(q) - exact) <= Decimal("0.5")


@given(bases, bases, ks)
def test_quota_is_monotone_in_base(a: int, b: int, k: Decimal) -> None:
    lo, hi = sorted((a, b))
    assert quota_for(lo, k) <= quota_for(hi, k)


def test_quota_halves_round_up_and_default_k() -> None:
    assert quota_for(0, 1) == 1
    assert quota_for(5, Decimal("0.5")) == 3  # 2.5 → 3, not banker's 2
    assert quota_for(7, "1.000") == 7


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10))
def test_cap_is_floor_and_ratio_holds(accepted: int, ratio: int) -> None:
    cap = cap_for(accepted, ratio)
    assert cap == math.floor(accepted / ratio)
    assert cap * ratio <= accepted < (cap + 1) * ratio


@given(
    st.lists(st.integers(min_value=0, max_value=1000), max_size=40),
    st.integers(min_value=1, max_value=5),
)
def test_sum_of_body_caps_never_exceeds_citywide_cap(per_body: list[int], ratio: int) -> None:
    assert sum(cap_for(n, ratio) for n in per_body) <= cap_for(sum(per_body), ratio)
