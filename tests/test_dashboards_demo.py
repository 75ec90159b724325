"""On the demo: every dashboard figure, for the city and for a body, equals the count of the
list its bar links to; the body's figures are a part of the city's."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from qnwmh.access.actor import actor_for
from qnwmh.accounts.models import User
from qnwmh.dashboards.figures import charts
from qnwmh.dashboards.selectors import cycle_choices, period_from_query
from qnwmh.orgs.models import Town
from tests.conftest import module_transaction
from tests.test_dashboards import (
    assert_bars_match_their_lists,
    assert_last_years_match_their_lists,
)


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with module_transaction(django_db_blocker):
        call_command("load_demo", stdout=StringIO())
        yield


@pytest.fixture
def demo(_demo_loaded: Any, db: Any) -> None:
    return None


def _as(username: str) -> tuple[Client, Any]:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client, actor_for(user)


@pytest.mark.parametrize("username", ["city_admin", "shiqi_admin"])
def test_every_figure_equals_its_lists_count_on_the_demo(demo: None, username: str) -> None:
    client, actor = _as(username)
    found = charts(actor, period_from_query(actor, {}))
    keys = {c.key for c in found}
    assert {"collectives_by_town", "registrations_by_status", "complaints_by_state"} <= keys
    assert {"titled_by_level_and_stars", "non_public_by_town"} <= keys
    assert sum(c.total or 0 for c in found) > 0
    assert assert_bars_match_their_lists(client, found, every_cell=False) >= 40
    year = period_from_query(actor, {}).year
    towns = Town.objects.count()
    assert assert_last_years_match_their_lists(client, found, year) == towns


def test_the_demo_shows_stars_and_a_change_on_last_year(demo: None) -> None:
    _, city = _as("city_admin")
    found = {c.key: c for c in charts(city, period_from_query(city, {}))}
    stars = found["titled_by_level_and_stars"]
    assert stars.bars[0].key.startswith("national-")
    assert len({b.key.split("-")[1] for b in stars.bars}) >= 2
    non_public = found["non_public_by_town"].bars
    assert sum(b.reference or 0 for b in non_public) > 0
    assert any(b.value != b.reference for b in non_public)


def test_a_bodys_figures_are_part_of_the_citys(demo: None) -> None:
    _, city = _as("city_admin")
    _, body = _as("shiqi_admin")
    city_charts = {c.key: c for c in charts(city, period_from_query(city, {}))}
    for chart in charts(body, period_from_query(body, {})):
        whole = {b.key: b.value for b in city_charts[chart.key].bars}
        assert all(b.value <= whole.get(b.key, 0) for b in chart.bars), chart.key
    by_body = city_charts["collectives_by_body"].total
    assert (
        0
        < {c.key: c for c in charts(body, period_from_query(body, {}))}["collectives_by_body"].total
        < by_body
    )


@pytest.mark.parametrize("username", ["city_admin", "shiqi_admin"])
def test_the_quota_cap_and_progress_figures_follow_their_lists_in_every_cycle(
    demo: None, username: str
) -> None:
    """The current cycle has quotas in use, the certifying one recommended applications and
    scores, the earlier one a shortlist and a decision: every bar of each, in every cycle."""
    client, actor = _as(username)
    keys = ("quota_used_by_body", "recommended_by_body", "applications_by_progress")
    shown: dict[str, int] = dict.fromkeys(keys, 0)
    referenced: set[str] = set()
    for cycle in cycle_choices(actor):
        found = charts(actor, period_from_query(actor, {"cycle": cycle.code}), keys)
        assert_bars_match_their_lists(client, found)
        for chart in found:
            shown[chart.key] += sum(b.value for b in chart.bars)
            # Older demo cycles have no quota rows: their bars stand without one.
            if any(b.reference is not None for b in chart.bars):
                referenced.add(chart.key)
    assert all(shown.values()), shown
    # The demo gives quotas to the current cycle's bodies and to the five bodies of the
    # earlier round with a shortlist; the certifying cycle (Shiqi's applications) has none.
    assert referenced == (
        {"quota_used_by_body", "recommended_by_body"}
        if username == "city_admin"
        else {"quota_used_by_body"}
    )


def test_the_demos_annual_report_has_its_typical_case_and_the_years_lists(demo: None) -> None:
    import io

    from django.utils import timezone
    from openpyxl import load_workbook

    from qnwmh.dashboards.report import report_xlsx_file

    _, city = _as("city_admin")
    response = report_xlsx_file(city, timezone.localdate().year)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[-4:] == ["新授称号", "处理", "退出", "典型案例"]
    cases = [r[0] for r in book["典型案例"].iter_rows(min_row=2, values_only=True)]
    # The demo publishes one story this year; the one still waiting for the city is not in.
    assert cases == ["午间不打烊，便民服务有温度"]
