"""The objection journey on a phone: a member of the public opens the notice, files a named
objection and keeps the tracking code; a city admin upholds it; the public notice then shows
the collective removed with the published reason, and the tracking page the outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qnwmh.awards.models import EntryStatus, Objection
from tests import factories as f
from tests import factories_awards as fa
from tests import notice_builders as nb
from tests.phone import PHONE, assert_fits

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screens"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"awards-notice-{name}.png"), full_page=True)


def test_public_objects_on_a_phone_city_upholds_public_sees_removed(
    live_server: Any, browser: Any, world: Any
) -> None:
    base = live_server.url
    s = nb.shortlist(world.body)
    notice = fa.notice(s)
    entry = notice.items.get(position=1).entry

    visitor = browser.new_context(**PHONE).new_page()
    visitor.goto(f"{base}/notices/")
    visitor.click(f"text={notice.heading}")
    assert_fits(visitor)
    _shot(visitor, "1-notice")
    visitor.click("#item-1 >> text=对该集体提出异议")
    visitor.fill("input[name=contact_name]", "王五")
    visitor.fill("input[name=contact_phone]", "13800138000")
    visitor.fill("textarea[name=text]", "该窗口工作日上午长期无人值守，群众多次反映。")
    assert_fits(visitor)
    _shot(visitor, "2-form")
    visitor.click("main button[type=submit]")
    code = visitor.inner_text("[data-testid=tracking-code]").strip()
    assert len(code) == 16 and Objection.objects.filter(code=code).exists()
    assert "13800138000" not in visitor.content()
    assert_fits(visitor)
    _shot(visitor, "3-tracking-code")
    track_url = visitor.url

    city = browser.new_context(**PHONE).new_page()
    city.goto(f"{base}/accounts/login/?next=/office/awards/objections/")
    city.fill("input[name=username]", "city")
    city.fill("input[name=password]", f.PASSWORD)
    city.click("main button[type=submit]")
    city.wait_for_url(lambda url: "/accounts/login/" not in url)
    city.click("[data-testid=objections] tbody a")
    city.check("input[name=outcome][value=upheld]")
    city.fill("textarea[name=findings]", "现场核实，情况属实。")
    city.fill("textarea[name=public_reason]", "经核查，反映问题属实，取消拟认定资格。")
    city.on("dialog", lambda dialog: dialog.accept())
    city.click("[data-testid=decide] button[type=submit]")
    city.wait_for_selector("[data-testid=outcome]")
    assert "异议属实" in city.inner_text("[data-testid=outcome]")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED

    visitor.goto(track_url)
    assert "经核查，反映问题属实" in visitor.inner_text("[data-testid=public-reason]")
    visitor.goto(f"{base}/notices/{notice.code}/")
    removed = visitor.inner_text("#item-1")
    assert "已移出" in removed and "经核查，反映问题属实" in removed
    assert_fits(visitor)
    _shot(visitor, "4-removed")
