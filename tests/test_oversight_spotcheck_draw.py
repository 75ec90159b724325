"""The spot check's draw is pure and reproducible: the same seed and population give the same
sample, whatever order the population comes in; the size is pct% rounded (at least one); every
stratum gets within one of its exact share; the required titles come on top; and the snippet
the public page publishes draws exactly the same."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from qnwmh.oversight import draw as d

OWNERSHIPS = ("party_government", "state_enterprise", "non_public")

units_strategy = st.lists(
    st.tuples(
        st.integers(1, 5), st.one_of(st.none(), st.integers(1, 3)), st.sampled_from(OWNERSHIPS)
    ),
    max_size=120,
).map(lambda rows: [d.Unit(i + 1, *row) for i, row in enumerate(rows)])
pcts = st.integers(1, 100)
seeds = st.text(alphabet="abcdef0123456789", min_size=1, max_size=16)


@given(units_strategy, pcts, seeds, st.randoms())
@settings(max_examples=150, deadline=None)
def test_same_seed_and_population_give_the_same_sample(units, pct, seed, rnd):
    shuffled = list(units)
    rnd.shuffle(shuffled)
    assert d.draw(units, pct, seed) == d.draw(shuffled, pct, seed)


@given(units_strategy, pcts, seeds)
@settings(max_examples=150, deadline=None)
def test_size_is_pct_rounded_and_every_stratum_within_one_of_its_share(units, pct, seed):
    sample = d.draw(units, pct, seed)
    n = len(units)
    exact = Fraction(pct * n, 100)
    expected = 0 if n == 0 else max(1, int(exact + Fraction(1, 2)))
    assert len(sample) == expected == len(set(sample))
    assert set(sample) <= {u.title_id for u in units}
    chosen = set(sample)
    sizes: dict[str, int] = {}
    taken: dict[str, int] = {}
    for u in units:
        sizes[u.key] = sizes.get(u.key, 0) + 1
        taken[u.key] = taken.get(u.key, 0) + (u.title_id in chosen)
    for key, size in sizes.items():
        share = Fraction(expected * size, n)
        assert abs(taken[key] - share) < 1, (key, taken[key], share)


@given(units_strategy, pcts, seeds, st.sets(st.integers(1, 200), max_size=10))
@settings(max_examples=100, deadline=None)
def test_required_titles_come_on_top(units, pct, seed, required):
    drawn = d.draw(units, pct, seed)
    extra = d.with_required(drawn, required)
    assert set(drawn) | set(extra) == set(drawn) | required
    assert not set(drawn) & set(extra)
    assert extra == sorted(extra)


@given(units_strategy, pcts, seeds)
@settings(max_examples=60, deadline=None)
def test_the_published_snippet_draws_the_same(units, pct, seed):
    code = d.SNIPPET.split("\npopulation = ")[0]
    space: dict = {}
    exec(code, space)
    assert space["draw"](d.as_rows(units), pct, seed) == d.draw(units, pct, seed)


def test_units_round_trip_through_the_stored_rows():
    units = [d.Unit(3, 1, None, "other"), d.Unit(1, 2, 5, "non_public")]
    assert d.units_from(d.as_rows(units)) == sorted(units, key=lambda u: u.title_id)


def test_a_different_seed_usually_gives_another_sample():
    units = [d.Unit(i, 1, 1, "other") for i in range(1, 101)]
    assert d.draw(units, 20, "a") != d.draw(units, 20, "b")
    assert d.draw(units, 20, "a") == d.draw(list(reversed(units)), 20, "a")


def test_largest_remainder_by_hand():
    # 10 of 3+3+4 units: exact shares 3, 3, 4; 1 of them: the largest fraction (4/10) wins.
    assert d.allocate({"a": 3, "b": 3, "c": 4}, 10) == {"a": 3, "b": 3, "c": 4}
    assert d.allocate({"a": 3, "b": 3, "c": 4}, 1) == {"a": 0, "b": 0, "c": 1}
    # Ties go to the smaller key.
    assert d.allocate({"b": 1, "a": 1}, 1) == {"a": 1, "b": 0}
    assert d.sample_size(0, 20) == 0
    assert d.sample_size(3, 1) == 1
    assert d.sample_size(5, 50) == 3  # 2.5 rounds up
