"""Phone-sized journey: a collective manager logs an open week with two photos; the body
admin sees the month turn compliant; a visitor finds the event on the public calendar."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import creation_helpers as ch
from tests import evidence_files as ef
from tests import factories as f
from tests.phone import PHONE

SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def _login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_open_week_on_a_phone(world: Any, live_server: Any, browser: Any, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    cy = ch.cycle()
    ch.register(world.collective, cy)
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    base = live_server.url
    cell = f'li[data-month="{month}"]'

    admin = _login(browser, base, "bodyadmin")
    admin.goto(base + reverse("creation:compliance"))
    row = admin.locator(f'article[data-collective="{world.collective.code}"]')
    assert row.locator(cell).get_attribute("data-status") == "pending"

    manager = _login(browser, base, "manager")
    manager.goto(base + reverse("creation:index"))  # one collective: straight to its log
    manager.click("text=登记新日志")
    manager.select_option("select[name=kind]", "open_week")
    manager.fill("input[name=title]", "十一月青年文明号开放周")
    manager.fill("input[name=occurred_on]", today.isoformat())
    manager.fill("input[name=ends_on]", (today + datetime.timedelta(days=4)).isoformat())
    manager.fill("input[name=place]", "石岐街道便民服务中心一楼大厅")
    manager.fill("input[name=participants]", "36")
    photos = []
    for i, colour in enumerate([(200, 30, 30), (30, 30, 200)]):
        path = tmp_path / f"IMG_00{i}.jpg"
        path.write_bytes(ef.jpeg((800, 600), colour, gps=True))
        photos.append(str(path))
    manager.set_input_files("input[name=attachments]", photos)
    manager.screenshot(path=str(SHOTS / "creation-entry-form-phone.png"), full_page=True)
    manager.click("main form.narrow button[type=submit]")
    manager.wait_for_load_state()
    assert manager.locator("h1").inner_text() == "十一月青年文明号开放周"
    thumbs = manager.locator("ul.evidence-files img")
    assert thumbs.count() == 2
    # The thumbnails must really load (served through the scoped view); wait for them rather
    # than sampling naturalWidth while the browser may still be fetching.
    manager.wait_for_function(
        "() => [...document.querySelectorAll('ul.evidence-files img')]"
        ".every(img => img.complete && img.naturalWidth > 0)",
        timeout=15_000,
    )
    manager.screenshot(path=str(SHOTS / "creation-entry-phone.png"), full_page=True)

    admin.reload()
    row = admin.locator(f'article[data-collective="{world.collective.code}"]')
    assert row.locator(cell).get_attribute("data-status") == "ok"
    admin.screenshot(path=str(SHOTS / "creation-compliance-phone.png"), full_page=True)

    visitor = browser.new_context(**PHONE).new_page()
    visitor.goto(base + reverse("open_weeks"))
    assert visitor.locator("text=十一月青年文明号开放周").count() == 1
    assert visitor.locator(f"text={world.collective.name}").count() == 1
    visitor.screenshot(path=str(SHOTS / "open-weeks-phone.png"), full_page=True)
