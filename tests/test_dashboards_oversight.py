"""The year's spot checks on the dashboard: the random visits by conclusion and by body, and
the visits by reason, each bar equal to the count of the visits list it opens (with the list's
year, reason and conclusion filters), for the city and a body, on fixed and random data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qnwmh.dashboards.figures import Chart, charts
from qnwmh.dashboards.selectors import period_from_query
from qnwmh.oversight.models import VisitReason, VisitResult
from tests import factories as f
from tests import factories_oversight as fo
from tests.querycount import assert_constant_queries
from tests.test_dashboards import assert_bars_match_their_lists, list_count

pytestmark = pytest.mark.django_db

KEYS = ["spot_checks_by_result", "spot_checks_by_body", "visits_by_reason"]


def _charts(world: Any, role: str, year: int) -> dict[str, Chart]:
    actor = world.actor(role)
    found = charts(actor, period_from_query(actor, {"year": year}), keys=KEYS)
    return {c.key: c for c in found}


def _values(chart: Chart) -> dict[str, int]:
    return {b.key: b.value for b in chart.bars}


def test_the_years_random_visits_by_conclusion_body_and_reason(world: Any) -> None:
    year = timezone.localdate().year
    other = fo.city_title(world.other_body)
    this_year = fo.spot_check(year)
    for result in (VisitResult.PASSED, VisitResult.FAILED, ""):
        fo.visit(world.title, result=result, check=this_year)
    fo.visit(other, result=VisitResult.FAILED, check=this_year)
    # Not random: counted by reason only. Last year's draw, though visited now: not this year's.
    fo.visit(world.title, reason=VisitReason.UPHELD_COMPLAINT, result=VisitResult.FAILED)
    fo.visit(world.title, result=VisitResult.PASSED, check=fo.spot_check(year - 1))

    city = _charts(world, "city_admin", year)
    assert list(city) == KEYS
    assert _values(city["spot_checks_by_result"]) == {"passed": 1, "failed": 2, "pending": 1}
    assert city["spot_checks_by_result"].total == 4
    assert _values(city["spot_checks_by_body"]) == {world.body.code: 3, world.other_body.code: 1}
    assert _values(city["visits_by_reason"]) == {"random": 4, "upheld_complaint": 1, "other": 0}

    body = _charts(world, "body_admin", year)
    assert _values(body["spot_checks_by_result"]) == {"passed": 1, "failed": 1, "pending": 1}
    assert _values(body["spot_checks_by_body"]) == {world.body.code: 3}
    for role, found in (("city_admin", city), ("body_admin", body)):
        assert assert_bars_match_their_lists(world.client(role), list(found.values())) == (
            3 + len(found["spot_checks_by_body"].bars) + 3
        )
    # Last year's draw is last year's figure.
    last = _charts(world, "city_admin", year - 1)
    assert _values(last["spot_checks_by_result"]) == {"passed": 1, "failed": 0, "pending": 0}


def test_the_visits_list_filters_on_reason_and_a_pending_conclusion(world: Any) -> None:
    year = timezone.localdate().year
    fo.visit(world.title)  # random, no conclusion yet
    fo.visit(world.title, reason=VisitReason.OTHER)
    fo.visit(world.title, result=VisitResult.PASSED)
    client = world.client("city_admin")
    url = reverse("oversight:visits")
    assert list_count(client, f"{url}?year={year}&result=pending&reason=random") == 1
    assert list_count(client, f"{url}?result=pending") == 2
    assert list_count(client, f"{url}?reason=other") == 1
    assert list_count(client, f"{url}?result=nonsense") == 3  # an unknown value is no filter
    html = client.get(f"{url}?year={year}&result=pending&reason=random").content.decode()
    # The filter bar names what it filters on, in words, and shows the year even without a
    # draw that year (the dashboard's bar opened it).
    assert '<option value="pending" selected>未出结论</option>' in html
    assert '<option value="random" selected>随机抽中</option>' in html
    assert f'<option value="{year}" selected>{year}</option>' in html


def test_the_spot_check_figures_cost_the_same_queries_however_many_visits(world: Any) -> None:
    client = world.client("city_admin")
    url = reverse("dashboards:dashboard")
    titles = [world.title, fo.city_title(world.other_body)]

    def grow() -> None:
        for i, result in enumerate(["", *VisitResult.values]):
            fo.visit(titles[i % 2], result=result)
        fo.visit(fo.city_title(f.body()))  # one more body on the by-body chart

    assert_constant_queries(lambda: client.get(url), grow)


visit_spec = st.tuples(
    st.booleans(),  # the world's body (else the other body)
    st.sampled_from(VisitReason.values),
    st.sampled_from(["", *VisitResult.values]),
    st.sampled_from(["this", "last", "none"]),  # the draw it belongs to, or none (ad hoc)
    st.booleans(),  # covert: the city and the bodies see it all the same
)


@settings(
    max_examples=5,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(visits=st.lists(visit_spec, max_size=8))
def test_every_spot_check_bar_equals_its_lists_count_on_random_data(
    world: Any, visits: list[Any]
) -> None:
    year = timezone.localdate().year
    with transaction.atomic():
        other = fo.city_title(world.other_body)
        draws = {"this": fo.spot_check(year), "last": fo.spot_check(year - 1), "none": None}
        for own, reason, result, draw, covert in visits:
            fo.visit(
                world.title if own else other,
                reason=reason,
                result=result,
                check=draws[draw],
                covert=covert,
                planned_on=datetime.date(year, 1, 1),
            )
        for role in ("city_admin", "body_admin"):
            found = list(_charts(world, role, year).values())
            assert [c.key for c in found] == KEYS
            by_result = found[0]
            assert sum(b.value for b in by_result.bars) == by_result.total  # apart, no gap
            assert assert_bars_match_their_lists(world.client(role), found) >= 6
        transaction.set_rollback(True)
