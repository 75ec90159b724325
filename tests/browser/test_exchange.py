"""On a phone: a collective's manager registers for an exhibition from the events list (the
second collective is refused at the limit, with the message on the form), then appraises a
mutual visit; the city closes it and the manager's collective page lists the event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qnwmh.exchange import services
from qnwmh.exchange.models import EventStatus
from tests import factories as f
from tests import factories_cycles as fc
from tests import factories_exchange as fx
from tests.phone import PHONE, assert_fits

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screens"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"exchange-{name}.png"), full_page=True)


def _login(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_manager_registers_and_appraises_on_a_phone(
    live_server: Any, browser: Any, world: Any
) -> None:
    base = live_server.url
    fc.cycle()
    second = f.collective(world.body, name="石岐街道第二青年集体")
    f.user("second", "collective_manager", collective=second)
    event = fx.event(world, capacity=1, status="open", title="青年文明号创建成果展示会")

    manager = _login(browser, base, "manager", "/office/exchange/")
    assert_fits(manager)
    _shot(manager, "1-list")
    manager.click("[data-testid=events] a:has-text('成果展示会')")
    manager.click("main a[role=button]:has-text('报名')")
    manager.fill("input[name=people]", "3")
    assert_fits(manager)
    manager.click("[data-testid=exchange-form] button[type=submit]")
    manager.wait_for_selector("[data-testid=registrations]")
    assert world.collective.name in manager.inner_text("[data-testid=registrations]")
    assert "1 / 1" in manager.inner_text("[data-testid=places]")
    assert_fits(manager)
    _shot(manager, "2-registered")

    other = _login(browser, base, "second", f"/office/exchange/{event.code}/register/")
    other.click("[data-testid=exchange-form] button[type=submit]")
    assert "报名已满" in other.inner_text("[data-testid=exchange-form]")
    assert_fits(other)
    _shot(other, "3-full")
    event.refresh_from_db()
    assert event.registered_count == 1

    visit = fx.mutual_visit(world, status="held")
    manager.goto(f"{base}/office/exchange/{visit.code}/")
    manager.click("main a[role=button]:has-text('互访评价')")
    form = manager.locator("[data-testid=appraisal-form]")
    for key in ("service", "feature", "team", "practice"):
        form.locator(f"input[name=points_{key}][value='5']").check()
    form.locator("textarea[name=comment_practice]").fill("预约提醒值得借鉴")
    assert_fits(manager)
    _shot(manager, "4-appraise")
    form.locator("button[type=submit]").click()
    manager.wait_for_selector("[data-testid=appraisal]")
    assert "预约提醒值得借鉴" in manager.inner_text("[data-testid=appraisal]")

    city = world.actor("city_admin")
    services.appraise(
        world.actor("outsider"),
        visit,
        by_collective=world.other_collective,
        scores=fx.full_scores(4),
    )
    services.record_attendance(city, visit, attended=[world.collective.id])
    services.event_close(city, visit)
    visit.refresh_from_db()
    assert visit.status == EventStatus.CLOSED
    manager.goto(f"{base}/office/collectives/{world.collective.code}/")
    panel = manager.inner_text("[data-testid=exchange-panel]")
    assert "互访互学" in panel and "已出席" in panel
    assert_fits(manager)
    _shot(manager, "5-collective")
