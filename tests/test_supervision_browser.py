"""Browser journeys on a phone-sized screen (Playwright + Debian Chromium)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from qnwmh.supervision.models import Complaint, Status
from tests import factories as f
from tests import supervision_builders as sb
from tests.phone import PHONE

SHOTS = Path(__file__).resolve().parent.parent / "var" / "screens"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"supervision-{name}.png"), full_page=True)


def _login(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_visitor_files_body_replies_visitor_unsatisfied_city_sees_reopened(
    live_server, browser, world, tmp_path
):
    base = live_server.url
    photo = tmp_path / "scene.png"
    photo.write_bytes(sb.png_bytes((120, 90)))

    visitor = browser.new_context(**PHONE).new_page()
    visitor.goto(f"{base}/c/{world.collective.code}/feedback/")  # the URL the QR code opens
    visitor.check("input[name=kind][value=complaint]")
    visitor.select_option("select[name=category]", "efficiency")
    visitor.fill("textarea[name=text]", "周二上午办理居住证，材料要求反复变化，跑了三趟。")
    visitor.set_input_files("input[name=photos]", str(photo))
    visitor.click("#file summary")
    visitor.fill("input[name=filer_name]", sb.PLANTED_NAME)
    visitor.fill("input[name=filer_phone]", sb.PLANTED_PHONE)
    _shot(visitor, "1-form")
    visitor.click("#file button[type=submit]")
    code = visitor.inner_text("[data-testid=tracking-code]").strip()
    assert len(code) == 16
    secret = visitor.inner_text("[data-testid=filer-secret]").strip()
    assert len(secret) == 12
    _shot(visitor, "2-tracking-code")
    track_url = visitor.url
    assert sb.PLANTED_PHONE not in visitor.content()
    complaint = Complaint.objects.get(code=code)
    assert complaint.photos.count() == 1 and complaint.body_id == world.body.pk

    body = _login(browser, base, "bodyadmin", f"/office/supervision/{code}/")
    assert sb.PLANTED_PHONE in body.content()  # the handling body sees the contact
    assert secret not in body.content()  # but never the filer's secret
    body.click("button:has-text('受理')")
    body.click("button:has-text('开始调查')")
    body.fill(
        "form[action$='/act/reply/'] textarea[name=findings]", "经核实，窗口未一次性告知所需材料。"
    )
    body.fill(
        "form[action$='/act/reply/'] textarea[name=reply]", "已对窗口人员批评教育，并张贴材料清单。"
    )
    body.click("form[action$='/act/reply/'] button[type=submit]")
    body.wait_for_selector("text=已答复")
    _shot(body, "3-body-replied")

    visitor.goto(track_url)
    assert visitor.locator("[data-testid=reply]").count() == 0  # the code alone: status only
    visitor.fill("#unlock input[name=secret]", secret)
    visitor.click("#unlock button[type=submit]")
    assert "已对窗口人员批评教育" in visitor.inner_text("[data-testid=reply]")
    visitor.click("button:has-text('不满意')")
    visitor.wait_for_selector("text=团市委复查")
    _shot(visitor, "4-unsatisfied")

    city = _login(browser, base, "city", "/office/supervision/?state=city_review")
    assert code[:6] in city.content()
    _shot(city, "5-city-review-list")
    complaint.refresh_from_db()
    assert complaint.status == Status.INVESTIGATING and complaint.city_review


def test_overdue_complaint_escalated_appears_on_city_list(live_server, browser, world):
    late = sb.complaint(world.collective, days_ago=30, status=Status.INVESTIGATING)
    Complaint.objects.filter(pk=late.pk).update(
        finish_due=timezone.localdate() - datetime.timedelta(days=2)
    )
    on_time = sb.complaint(world.collective)
    call_command("escalate_complaints")
    city = _login(browser, live_server.url, "city", "/office/supervision/?state=escalated")
    text = city.content()
    assert late.code[:6] in text and on_time.code[:6] not in text
    assert "督办" in city.inner_text("table")
    _shot(city, "6-escalated")


DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}


def test_complaint_photo_thumbnails_small_and_no_csp_violation(live_server, browser, world):
    from qnwmh.core.actor import system_actor
    from qnwmh.supervision.services import _attach_photo

    c = sb.complaint(world.collective)
    for _ in range(2):
        _attach_photo(system_actor(), c, sb.upload(data=sb.png_bytes((1600, 1200))))
    page = browser.new_context(**DESKTOP).new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.goto(f"{live_server.url}/accounts/login/?next=/office/supervision/{c.code}/")
    page.fill("input[name=username]", "bodyadmin")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    thumbs = page.locator(f"img[src*='/office/supervision/{c.code}/photos/']")
    assert thumbs.count() == 2
    for i in range(2):
        thumbs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(i).element_handle()
        )
    # The platform's CSP refuses inline styles: nothing on the page may need one.
    assert not [m for m in console if "Content Security Policy" in m], console
    for i in range(2):
        box = thumbs.nth(i).bounding_box()
        assert box is not None and 0 < box["width"] <= 200 and box["height"] <= 200
    _shot(page, "7-photo-thumbnails")
