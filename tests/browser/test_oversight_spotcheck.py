"""An inspector records a covert visit on a phone, with photos; the collective's manager does
not see the visit until it is closed, then sees its result (never the photos)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from qnwmh.oversight.models import Visit, VisitReason, VisitStatus
from tests import evidence_files
from tests import factories as f
from tests.phone import PHONE, assert_fits

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screens"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"oversight-spotcheck-{name}.png"), full_page=True)


def _login(browser: Any, base: str, username: str, next_url: str) -> Any:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_inspector_records_a_covert_visit_on_a_phone_manager_sees_it_once_closed(
    live_server: Any, browser: Any, world: Any, tmp_path: Path
) -> None:
    base = live_server.url
    visit = Visit.objects.create(
        title=world.title, collective=world.collective, reason=VisitReason.RANDOM
    )
    photos = []
    for i in range(2):
        p = tmp_path / f"photo{i}.png"
        p.write_bytes(evidence_files.png())
        photos.append(str(p))

    inspector = _login(browser, base, "bodyadmin", f"/office/oversight/visits/{visit.code}/")
    inspector.click("text=安排走访")
    inspector.fill("input[name=planned_on]", timezone.localdate().isoformat())
    inspector.check("input[name=covert]")
    inspector.click("main button[type=submit]")
    inspector.wait_for_selector("[data-testid=status]")
    inspector.click("text=记录走访结果")
    form = inspector.locator("[data-testid=record-form]")
    assert form.locator("input[type=file]").get_attribute("capture") == "environment"
    inspector.fill("input[name=inspectors]", "区团委 黄敏")
    for key in ("sign", "service", "records", "activities"):
        inspector.check(f"input[name=ok_{key}][value='1']")
    inspector.check("input[name=ok_pledges][value='0']")
    inspector.fill("input[name=note_pledges]", "服务承诺未上墙")
    inspector.check("input[name=result][value=failed]")
    inspector.fill("textarea[name=summary]", "暗访发现服务承诺未公开。")
    inspector.set_input_files("input[name=evidence]", photos)
    assert_fits(inspector)
    _shot(inspector, "1-record")
    inspector.click("[data-testid=record-form] button[type=submit]")
    inspector.wait_for_selector("[data-testid=files]")
    assert inspector.locator("[data-testid=files] li").count() == 2
    assert_fits(inspector)
    _shot(inspector, "2-recorded")
    visit.refresh_from_db()
    assert visit.covert and visit.status == VisitStatus.RECORDED and visit.result == "failed"

    manager = _login(browser, base, "manager", "/office/oversight/my-visits/")
    assert visit.code not in manager.content()
    assert manager.goto(f"{base}/office/oversight/visits/{visit.code}/").status == 404

    inspector.on("dialog", lambda dialog: dialog.accept())
    inspector.click("main form button:has-text('办结')")
    inspector.wait_for_selector("[data-testid=status]:has-text('已办结')")

    manager.goto(f"{base}/office/oversight/my-visits/")
    manager.click(f"[data-testid=visits] a[href*='{visit.code}']")
    assert "不合格" in manager.inner_text("[data-testid=result]")
    assert manager.locator("[data-testid=files]").count() == 0
    assert_fits(manager)
    _shot(manager, "3-manager")
