"""The dashboard's monthly ratings followed to the office list of ratings, on a phone: the
chart shows the count with the average beside it, a month's link opens the ratings of that
month with the same count and average; the complaints list with its year and on-time filters
fits the phone too. No console or CSP error."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import supervision_builders as sb
from tests.browser.test_dashboards import _signed_in
from tests.phone import PHONE, assert_fits

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_months_ratings_from_the_dashboard_on_a_phone(
    world: Any, live_server: Any, browser: Any
) -> None:
    year = timezone.localdate().year - 1
    for day, stars in ((3, 5), (4, 4), (5, 4)):
        sb.rating(world.collective, datetime.date(year, 3, day), stars=stars, comment="服务很好")
    page, errors = _signed_in(browser, live_server.url, PHONE)
    page.goto(live_server.url + reverse("dashboards:dashboard") + f"?year={year}")
    figure = page.locator("figure[data-chart=ratings_by_month]")
    figure.locator(".dash-canvas canvas").wait_for()
    figure.get_by_role("button", name="数据表").click()
    row = figure.locator("tr[data-key='3']")
    assert row.locator("td[data-value]").inner_text() == "3"
    assert row.locator("td[data-reference]").inner_text() == "4.3"
    assert_fits(page)

    with page.expect_navigation():
        row.get_by_role("link").click()
    assert f"year={year}" in page.url and "month=3" in page.url
    assert page.get_by_test_id("rating-stats").inner_text() == "共 3 次评价，平均 4.3 分"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "supervision-ratings-phone.png"), full_page=True)
    assert_fits(page)

    page.goto(live_server.url + reverse("supervision:list") + f"?year={year}&finish=late")
    assert page.locator("select[name=finish] option:checked").inner_text() == "未按期办结"
    assert_fits(page)
    assert not errors, errors
