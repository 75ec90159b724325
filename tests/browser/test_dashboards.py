"""The city dashboard in a browser, on a desktop and on a phone (390 px): the charts are drawn
by the vendored ECharts from their tables (Chinese labels), a chart's table is toggled, a bar
is followed to its list; no console or CSP error, nothing scrolls sideways on the phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests import factories as f
from tests.phone import PHONE, assert_fits

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser: Any, base: str, device: dict[str, Any]) -> tuple[Any, list[str]]:
    page = browser.new_context(**device).new_page()
    errors: list[str] = []
    # The browser's own favicon probe is not the page's: every other error is.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def _bar_point(page: Any, key: str, index: int) -> tuple[float, float]:
    """Where the chart draws bar ``index`` (its middle), in page coordinates."""
    figure = page.locator(f"figure[data-chart={key}]")
    canvas = figure.locator(".dash-canvas")
    box = canvas.bounding_box()
    x, y = canvas.evaluate(
        """(el, i) => {
          const chart = window.echarts.getInstanceByDom(el);
          const value = chart.getOption().series[0].data[i];
          const end = chart.convertToPixel({seriesIndex: 0}, [value, i]);
          const start = chart.convertToPixel({seriesIndex: 0}, [0, i]);
          return [(start[0] + end[0]) / 2, end[1]];
        }""",
        index,
    )
    return box["x"] + x, box["y"] + y


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_city_dashboard_draws_toggles_and_follows_a_bar(
    world: Any, live_server: Any, browser: Any, device: str
) -> None:
    for _ in range(3):
        f.collective(world.body, members=0)
    page, errors = _signed_in(browser, live_server.url, PHONE if device == "phone" else DESKTOP)
    page.goto(live_server.url + reverse("dashboards:dashboard"))
    figure = page.locator("figure[data-chart=collectives_by_town]")
    figure.locator(".dash-canvas canvas").wait_for()
    # Drawn from the table, with the towns' Chinese names as the axis.
    labels = figure.locator(".dash-canvas").evaluate(
        "el => window.echarts.getInstanceByDom(el).getOption().yAxis[0].data"
    )
    assert world.town.name in labels
    table = figure.locator(".dash-table")
    assert table.is_hidden()
    toggle = figure.get_by_role("button", name="数据表")
    toggle.click()
    assert table.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert table.get_by_role("link", name=world.town.name).is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"dashboards-city-{device}.png"), full_page=True)
    if device == "phone":
        assert_fits(page)
    toggle.click()
    assert table.is_hidden()

    # The town's bar leads to the collectives list filtered on the town: its four collectives.
    index = labels.index(world.town.name)
    x, y = _bar_point(page, "collectives_by_town", index)
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert f"town={world.town.pk}" in page.url
    assert page.url.split("?")[0].endswith(reverse("collectives:list"))
    assert page.get_by_text(world.collective.name).first.is_visible()
    assert not errors, errors


def test_the_open_week_heatmap_fits_a_phone_and_a_cell_opens_its_list(
    world: Any, live_server: Any, browser: Any
) -> None:
    from django.utils import timezone

    from tests import creation_helpers as ch
    from tests.test_dashboards_creation import day, log

    month = timezone.localdate().month
    log(world.collective, ch.cycle(), day(month))
    page, errors = _signed_in(browser, live_server.url, PHONE)
    page.goto(live_server.url + reverse("dashboards:dashboard"))
    figure = page.locator("figure[data-chart=open_weeks_by_body_month]")
    canvas = figure.locator(".dash-canvas")
    canvas.locator("canvas").wait_for()
    assert_fits(page)
    kind, rows = canvas.evaluate(
        """el => {
          const option = window.echarts.getInstanceByDom(el).getOption();
          return [option.series[0].type, option.yAxis[0].data];
        }"""
    )
    assert kind == "heatmap"
    label = figure.locator(f'tr[data-key="{world.body.pk}"] th a').text_content()
    canvas.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SHOTS / "dashboards-heatmap-phone.png"))
    box = canvas.bounding_box()
    x, y = canvas.evaluate(
        "(el, at) => window.echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, at)",
        [month - 1, rows.index(label)],
    )
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert f"month={day(month).year}-{month:02d}" in page.url
    assert page.url.split("?")[0].endswith(reverse("creation:entries"))
    assert page.get_by_text(world.collective.name).first.is_visible()
    assert_fits(page)
    assert not errors, errors
