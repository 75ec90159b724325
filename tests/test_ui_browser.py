"""The back office on a phone (390×844) and on a desktop: the menu grouped by lifecycle stage,
wide tables that stay readable, and one-click actions that ask first."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qnwmh.cycles.models import Registration, RegistrationStatus
from tests import factories as f
from tests import factories_cycles as fc
from tests.phone import assert_fits, page_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Cells whose text is two characters or more but whose content box is narrower than one and a
# half characters: the "one character per line" columns of a squeezed table.
NARROW_CELLS = """() => [...document.querySelectorAll("main td, main th")].filter(cell => {
  const text = cell.innerText.trim();
  if (text.length < 2 || cell.offsetParent === null) return false;
  const style = getComputedStyle(cell);
  const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return inner < 1.5 * parseFloat(style.fontSize);
}).map(cell => cell.innerText.trim().slice(0, 20))"""


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def _demo_sized(world: Any) -> Any:
    """Forty bodies with real-length names, each with a quota and a collective."""
    cycle = fc.cycle(published=False)
    for i in range(40):
        body = f.body(
            f.town(f"测试镇区{i:02d}"),
            name=f"共青团中山市测试镇区{i:02d}经济发展和科技信息局委员会",
        )
        fc.quota(cycle, body, 3 + i % 5)
        f.collective(body, members=2, name=f"中山市测试镇区{i:02d}行政服务中心综合窗口青年突击队")
    return cycle


def test_phone_menu_is_grouped_by_stage_and_reaches_a_page(
    live_server: Any, page: Page, world: Any, tmp_path: Any
) -> None:
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "city")
    directory = page.get_by_test_id("nav-directory")
    expect(directory).to_be_visible()
    expect(page.get_by_role("link", name="集体", exact=True)).to_be_hidden()  # folded away
    directory.locator("summary").click()
    page.get_by_role("link", name="集体", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/office/collectives/"))
    # The current stage is marked, and its group still opens on the new page.
    expect(page.get_by_test_id("nav-directory").locator("summary")).to_have_class("nav-current")
    # Opening another group closes the first.
    page.get_by_test_id("nav-directory").locator("summary").click()
    page.get_by_test_id("nav-system").locator("summary").click()
    expect(page.get_by_test_id("nav-directory")).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="审计日志")).to_be_visible()
    # The menu fits the phone's width, in English too (longer labels wrap to a second row).
    assert_fits(page)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("nav-supervision").locator("summary")).to_have_text("Supervision")
    assert_fits(page)
    page.get_by_test_id("nav-supervision").locator("summary").click()
    expect(page.get_by_test_id("nav-supervision").locator("a").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "menu-en-phone.png"))


def test_desktop_shows_every_stage_group(live_server: Any, page: Page, world: Any) -> None:
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server.url, "city")
    for key, label in [
        ("directory", "目录"),
        ("cycle", "周期"),
        ("creation", "创建"),
        ("supervision", "监督"),
        ("system", "系统"),
    ]:
        expect(page.get_by_test_id(f"nav-{key}").locator("summary")).to_have_text(label)
    tops = page.eval_on_selector_all(
        ".main-nav summary", "s => s.map(e => e.getBoundingClientRect().top)"
    )
    assert len({round(t) for t in tops}) == 1  # one row
    # A manager sees only the entries it may open.
    page.context.clear_cookies()
    _log_in(page, live_server.url, "manager")
    expect(page.get_by_test_id("nav-directory")).to_have_count(1)
    expect(page.locator(".main-nav a", has_text="审计日志")).to_have_count(0)
    expect(page.locator(".main-nav a", has_text="账号")).to_have_count(0)


def test_quota_table_and_collective_list_are_readable_on_a_phone(
    live_server: Any, page: Page, world: Any, tmp_path: Any
) -> None:
    cycle = _demo_sized(world)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "city")
    for url in [f"/office/cycles/{cycle.code}/quotas/", "/office/collectives/"]:
        page.goto(live_server.url + url)
        page.screenshot(
            path=str(tmp_path / (url.strip("/").replace("/", "-") + ".png")), full_page=True
        )
        assert page.evaluate(NARROW_CELLS) == [], url
        height = page.evaluate("document.body.scrollHeight")
        assert height < 4 * PHONE["height"], (url, height)
        # The page itself does not scroll sideways; only the table's own box does.
        assert_fits(page)


def test_accepting_a_list_asks_and_cancel_changes_nothing(
    live_server: Any, page: Page, world: Any
) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    reg = fc.registration(cycle, world.collective)
    _log_in(page, live_server.url, "bodyadmin")
    page.goto(f"{live_server.url}/office/cycles/{cycle.code}/registrations/{reg.code}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="初评通过").click()
    page.wait_for_timeout(300)
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.SUBMITTED
    with page.expect_event("dialog") as asked:
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="初评通过").click()
    assert reg.number in asked.value.message
    page.get_by_text("已通过初评").first.wait_for()
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.ACCEPTED


def test_every_back_office_page_fits_a_phone(live_server: Any, page: Page, world: Any) -> None:
    """Every page of the matrix the city admin opens (lists above all): nothing squeezed to one
    character per line, and the page never scrolls sideways (only a table's own box does)."""
    from django.urls import reverse

    from tests.matrix import all_rows

    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "city")
    seen, bad = 0, {}
    for row in all_rows():
        if row.method != "get" or row.expect["city_admin"] != 200 or row.url_name == "floor":
            continue
        url = reverse(row.url_name, kwargs=row.kwargs(world)) + row.query
        probe = page.request.head(live_server.url + url)
        if "text/html" not in (probe.headers.get("content-type") or ""):
            continue  # spreadsheets, PDFs, images
        page.goto(live_server.url + url)
        seen += 1
        narrow = page.evaluate(NARROW_CELLS)
        wide = page_width(page)
        if narrow or wide > PHONE["width"]:
            bad[url] = (narrow, wide)
    assert seen > 20
    assert bad == {}


def test_a_clerk_finds_a_collective_by_pinyin_initials_on_a_phone(
    live_server: Any, page: Page, world: Any
) -> None:
    from qnwmh.access.models import RoleAssignment

    for i in range(60):
        f.collective(world.body, name=f"测试镇区{i:02d}服务窗口", members=0)
    target = f.collective(world.body, name="张家边社区服务站", members=0)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "city")
    page.goto(live_server.url + "/accounts/users/new/")
    page.fill("input[name=username]", "zhangjiabian")
    page.fill("input[name=password]", "Kx7-harbour-lantern-92")
    page.select_option("select[name=role]", "collective_manager")
    search = page.locator("input[data-search-for=collective]")
    search.fill("zjb")
    assert (
        page.eval_on_selector("select[name=collective]", "s => s.options.length") == 2
    )  # empty + match
    expect(page.locator("select[name=collective]")).to_have_value(str(target.pk))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/users/zhangjiabian/" in url)
    assert RoleAssignment.objects.filter(user__username="zhangjiabian", collective=target).exists()
