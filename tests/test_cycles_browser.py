"""Playwright journey: a manager files; the body admin accepts three, the fourth is refused
for the quota; the body submits; the city accepts and sees the town flag; notices arrive."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.collectives.models import Ownership
from qnwmh.cycles.models import Registration, RegistrationStatus
from tests import factories as f
from tests import factories_cycles as fc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(locale="zh-CN").new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # one-click actions ask first
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("article button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


def _review(page: Any, live_server: Any, cycle: Any, reg: Registration) -> None:
    page.goto(f"{live_server.url}/office/cycles/{cycle.code}/registrations/{reg.code}/")
    page.get_by_role("button", name="初评通过").click()


def test_registration_journey(world: Any, live_server: Any, browser: Any, tmp_path: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    fc.quota(cycle, world.other_body, 3)
    firm = f.collective(
        world.body, ownership=Ownership.NON_PUBLIC, name="中山某电器有限公司青年突击队"
    )
    others = [fc.registration(cycle, firm)] + [
        fc.registration(cycle, f.collective(world.body)) for _ in range(2)
    ]
    fc.registration(cycle, world.other_collective)  # 小榄镇: public institution only

    # 1. The collective manager files.
    page = _login(browser, live_server, "manager")
    page.goto(f"{live_server.url}/office/cycles/{cycle.code}/registrations/new/")
    page.select_option("select[name=collective]", str(world.collective.pk))
    page.fill("textarea[name=plan_summary]", "以岗位练兵和开放周为载体，提升窗口服务。")
    page.fill("input[name=leader_name]", "何雅婷")
    page.fill("textarea[name=leading_group]", "陈主任 组长\n何雅婷 副组长")
    page.fill("textarea[name=pledge]", "热情服务，接受监督。")
    page.check("input[name=pledge_confirmed]")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("报备已提交").wait_for()
    mine = Registration.objects.get(cycle=cycle, collective=world.collective)
    assert mine.status == RegistrationStatus.SUBMITTED

    # 2. The body admin accepts three; the fourth is refused with the quota message.
    admin = _login(browser, live_server, "bodyadmin")
    assert admin.get_by_test_id("bell-count").inner_text() == "1"
    for reg in others:
        _review(admin, live_server, cycle, reg)
        admin.get_by_text("已通过初评").first.wait_for()
    _review(admin, live_server, cycle, mine)
    refusal = admin.locator(".message-error")
    refusal.wait_for()
    assert "已达到本周期名额上限（3 个）" in refusal.inner_text()
    admin.screenshot(path=str(tmp_path / "quota-refused.png"), full_page=True)
    admin.get_by_text("退回修改或不予通过").click()
    admin.fill("input[name=reason]", "本组织名额已满，排序靠后")
    admin.get_by_role("button", name="不予通过").click()
    admin.goto(f"{live_server.url}/office/cycles/{cycle.code}/registrations/")
    admin.get_by_role("button", name="报送团市委").click()
    admin.get_by_text("名单已报送团市委").wait_for()

    # 3. The city admin sees the notice, accepts the list and the town view flags 小榄镇.
    city = _login(browser, live_server, "city")
    assert int(city.get_by_test_id("bell-count").inner_text()) >= 1
    city.goto(f"{live_server.url}/office/notices/")
    city.get_by_text("报送了").first.wait_for()
    city.goto(f"{live_server.url}/office/cycles/{cycle.code}/submissions/")
    with city.expect_event("dialog") as asked:
        city.get_by_role("button", name="接收").click()
    assert "接收" in asked.value.message
    city.get_by_text("已接收该组织的报备名单").wait_for()
    assert Registration.objects.filter(cycle=cycle, status=RegistrationStatus.FILED).count() == 3
    city.goto(f"{live_server.url}/office/cycles/{cycle.code}/towns/")
    missing = city.get_by_test_id("town-missing").inner_text()
    assert "小榄镇" in missing and "石岐街道" not in missing
    city.screenshot(path=str(tmp_path / "towns.png"), full_page=True)

    # 4. The manager's bell shows the outcome.
    page.goto(f"{live_server.url}/office/notices/")
    page.get_by_text("初评未通过").first.wait_for()
