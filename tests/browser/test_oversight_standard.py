"""Phone-sized journey (390 px): the city admin creates this year's standard, changes its marks,
adds an item and moves it to the top, removes another (the page asks first), and reads the
result by source; the public revocation notice reads on a phone too. Nothing scrolls
sideways."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.oversight.models import ExitKind, Standard
from qnwmh.oversight.services import exits
from tests import factories as f
from tests import factories_oversight as fo
from tests.phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Any, base: str, username: str | None = None) -> Any:
    page = browser.new_context(**PHONE).new_page()
    if username:
        page.goto(base + reverse("accounts:login"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", f.PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    return page


def test_the_city_edits_a_standard_on_a_phone(world: Any, live_server: Any, browser: Any) -> None:
    year = timezone.localdate().year
    base = live_server.url
    page = _page(browser, base, "city")
    page.goto(base + reverse("oversight:standards"))
    assert_fits(page)
    page.get_by_role("button", name="新建标准版本").click()
    page.fill("input[name=year]", str(year))
    page.get_by_role("button", name="建立").click()
    page.get_by_test_id("header-form").wait_for()
    assert_fits(page)
    s = Standard.objects.get(year=year)

    page.fill("input[name=pass_mark]", "85")
    page.get_by_test_id("header-form").get_by_role("button", name="保存").click()
    page.get_by_text("已保存。").wait_for()

    page.locator("summary", has_text="添加考核项目").click()
    form = page.get_by_test_id("item-form")
    form.locator("input[name=label]").fill("志愿服务与社会责任")
    form.locator("input[name=points]").fill("5")
    form.locator("select[name=source]").select_option("body")
    form.get_by_role("button", name="添加").click()
    page.get_by_text("已添加考核项目。").wait_for()
    assert_fits(page)

    # Move the new last item up to the top, one step at a time.
    for _ in range(s.items.count() - 1):
        row = page.get_by_test_id("items").locator("tr", has_text="志愿服务与社会责任")
        row.get_by_role("button", name="上移").click()
        page.wait_for_load_state()
    assert s.items.get(position=1).label == "志愿服务与社会责任"

    row = page.get_by_test_id("items").locator("tr", has_text="团建工作与青年成长")
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    row.get_by_role("button", name="删除").click()
    page.get_by_text("已删除考核项目。").wait_for()
    assert not s.items.filter(label="团建工作与青年成长").exists()

    page.get_by_role("link", name="查看标准").click()
    page.get_by_test_id("marks").wait_for()
    assert "85" in page.get_by_test_id("marks").inner_text()
    assert "志愿服务与社会责任" in page.get_by_test_id("items-body").inner_text()
    assert_fits(page)


def test_the_revocation_notice_on_a_phone(world: Any, live_server: Any, browser: Any) -> None:
    t = fo.city_title(world.body)
    exits.end_title(
        f.actor(world.users["city_admin"]),
        title=t,
        kind=ExitKind.REVOKED,
        reason="经媒体曝光并查实，服务态度恶劣，造成恶劣社会影响，撤销青年文明号称号",
    )
    base = live_server.url
    page = _page(browser, base)
    page.goto(base + reverse("oversight_public:revocation_years"))
    assert_fits(page)
    page.get_by_test_id("revocation-years").get_by_role("link").first.click()
    page.get_by_test_id("revocation").wait_for()
    assert t.collective.name in page.get_by_test_id("revocation").inner_text()
    assert_fits(page)
