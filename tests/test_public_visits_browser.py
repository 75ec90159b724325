"""Journey: a visitor on a phone goes from the public home to the open-week calendar, books a
visit and sees it confirmed; the collective's manager then finds the booking, phone masked."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qnwmh.public.models import VisitBooking
from tests import creation_helpers as ch
from tests import factories as f
from tests.phone import PHONE

SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_books_an_open_week_visit_from_the_home_page(
    world: Any, live_server: Any, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    cy = ch.cycle()
    ch.register(world.collective, cy)
    today = timezone.localdate()
    ch.entry(
        world,
        cy,
        on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=3),
        n_photos=0,
        title="青年窗口开放体验日",
    )
    base = live_server.url
    page = browser.new_context(**PHONE).new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(base + "/")
    page.get_by_role("link", name="开放周", exact=True).click()
    expect(page.get_by_role("heading", name="青年文明号开放周")).to_be_visible()
    expect(page.get_by_role("link", name=world.collective.name)).to_be_visible()
    page.screenshot(path=str(SHOTS / "public-open-weeks-phone.png"), full_page=True)
    page.get_by_role("button", name="预约参观").click()

    expect(page.get_by_role("heading", name="预约参观")).to_be_visible()
    page.fill("input[name=name]", "陈小明")
    page.fill("input[name=phone]", "139 1234 5678")
    page.fill("input[name=visitors]", "4")
    day = (today + datetime.timedelta(days=2)).isoformat()
    page.select_option("select[name=visit_on]", day)
    page.fill("textarea[name=note]", "两位老人同行")
    page.get_by_role("button", name="提交预约").click()

    expect(page.get_by_role("heading", name="预约已提交")).to_be_visible()
    expect(page.get_by_text("青年窗口开放体验日", exact=False).first).to_be_visible()
    expect(page.get_by_text("139****5678")).to_be_visible()
    page.screenshot(path=str(SHOTS / "public-visit-booked-phone.png"), full_page=True)
    booking = VisitBooking.objects.get()
    assert (booking.visitors, booking.visit_on.isoformat()) == (4, day)

    manager = browser.new_context(**PHONE).new_page()
    manager.goto(base + reverse("accounts:login"))
    manager.fill("input[name=username]", "manager")
    manager.fill("input[name=password]", f.PASSWORD)
    manager.click("main form button[type=submit]")
    manager.wait_for_load_state()
    manager.goto(base + reverse("visits:list"))
    expect(manager.get_by_text("陈小明")).to_be_visible()
    expect(manager.get_by_text("139****5678")).to_be_visible()
    assert not problems
