"""Journeys of the foundation issue, in Debian's Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from qnwmh.collectives.models import Collective
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str, password: str = f.PASSWORD) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_body_admin_fixes_a_roster_and_sees_the_rule_turn_green(live_server, page: Page, world):
    small = f.collective(world.body, name="石岐街道青年社工服务站", members=5)
    assert small.eligibility == "not_met"
    log_in(page, live_server.url, "bodyadmin")
    expect(page).to_have_url(re.compile(r"/office/$"))

    page.goto(live_server.url + "/office/collectives/")
    table = page.locator("#collective-table")
    expect(table).to_contain_text("石岐街道青年社工服务站")
    expect(table).to_contain_text(world.collective.name)
    expect(table).not_to_contain_text(world.other_collective.name)  # another body's

    page.get_by_role("link", name="石岐街道青年社工服务站").click()
    size_rule = page.locator("tr[data-rule=size]")
    expect(size_rule).to_contain_text("不符合")
    expect(page.get_by_test_id("eligibility-status")).to_have_text("不符合")

    page.get_by_role("button", name="添加成员").click()
    page.fill("input[name=name]", "林晓彤")
    page.fill("input[name=birth_date]", f.years_ago(24).isoformat())
    page.click("main button[type=submit]")

    expect(page.locator("tr[data-rule=size]")).to_contain_text("临界")  # 6 members: at the limit
    page.get_by_role("button", name="添加成员").click()
    page.fill("input[name=name]", "梁嘉俊")
    page.fill("input[name=birth_date]", f.years_ago(27).isoformat())
    page.click("main button[type=submit]")
    expect(page.locator("tr[data-rule=size]")).to_contain_text("符合")
    expect(page.locator("tr[data-rule=size] .badge")).to_have_class(re.compile("status-met"))
    expect(page.get_by_test_id("eligibility-status")).to_have_text("符合")
    assert Collective.objects.get(pk=small.pk).eligibility == "met"


def test_the_outsider_body_gets_404_for_that_collective(live_server, page: Page, world):
    log_in(page, live_server.url, "outsider")
    expect(page).to_have_url(re.compile(r"/office/$"))
    response = page.goto(f"{live_server.url}/office/collectives/{world.collective.code}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(world.collective.name)


def test_five_wrong_passwords_lock_the_account_like_an_unknown_user(live_server, page: Page, world):
    log_in(page, live_server.url, "no-such-person", "guess-1")
    unknown_message = page.locator("main [role=alert]").inner_text()
    for attempt in range(5):
        log_in(page, live_server.url, "bodyadmin", f"guess-{attempt}")
        if attempt < 4:
            expect(page.locator("main [role=alert]")).to_have_text(unknown_message)
    # The sixth try, even with the right password, meets the lock.
    log_in(page, live_server.url, "bodyadmin")
    expect(page.locator("main [role=alert]")).to_contain_text("暂时锁定")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # An unknown username locks in exactly the same way, so the lock reveals nothing.
    for attempt in range(5):
        log_in(page, live_server.url, "no-such-person", f"guess-{attempt}")
    log_in(page, live_server.url, "no-such-person", "guess-x")
    expect(page.locator("main [role=alert]")).to_contain_text("暂时锁定")
