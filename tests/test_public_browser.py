"""Journey (a): a visitor on a phone searches the directory with two characters, opens a
collective and sees its pledges and QR code."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from qnwmh.collectives.models import Level
from tests import factories as f
from tests.phone import assert_fits

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_on_a_phone_finds_a_collective_and_its_pledges_and_qr(
    live_server: Any, browser: Any
) -> None:
    town = f.town("小榄镇")
    body = f.body(town)
    er = f.collective(
        body,
        name="小榄镇人民医院急诊科",
        members=0,
        pledges="一、急诊患者五分钟内接诊。\n二、群众投诉当日回应。",
        supervision_phone="0760-22223333",
    )
    f.title(er, level=Level.PROVINCIAL, stars=2)
    f.title(f.collective(body, name="小榄镇便民服务中心青年服务窗口", members=0))

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        user_agent=WECHAT_UA,
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="青年文明号名录")).to_be_visible()
    expect(page.get_by_text("小榄镇便民服务中心青年服务窗口")).to_be_visible()

    page.get_by_role("searchbox").fill("急诊")
    # htmx swaps the results in place and puts the query in the address bar.
    expect(page.get_by_text("小榄镇便民服务中心青年服务窗口")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"q=%E6%80%A5%E8%AF%8A"))
    result = page.get_by_role("link", name=re.compile("小榄镇人民医院急诊科"))
    expect(result).to_be_visible()
    page.screenshot(path="test-results/public-directory-phone.png", full_page=True)

    result.tap()
    expect(page).to_have_url(live_server.url + f"/c/{er.code}/")
    expect(page.get_by_role("heading", name="小榄镇人民医院急诊科")).to_be_visible()
    pledges = page.locator("#pledges")
    pledges.scroll_into_view_if_needed()
    expect(pledges).to_contain_text("急诊患者五分钟内接诊")
    expect(page.locator("#pledges")).to_be_in_viewport()
    qr = page.get_by_role("img", name="本页二维码")
    qr.scroll_into_view_if_needed()
    expect(qr).to_be_visible()
    # The code is served by its own request: wait for it (a loaded machine takes a moment).
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle(), timeout=10_000
    )
    # Mobile-first: nothing wider than the phone's screen.
    assert_fits(page)
    page.screenshot(path="test-results/public-collective-phone.png", full_page=True)
    assert problems == []
    context.close()
