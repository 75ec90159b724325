"""The re-review in a browser: the body admin assesses a self-reported case on a phone
(390 px, nothing scrolls sideways), then the city confirms the proposed outcome on a desktop
(the page asks first); the case ends decided and the manager's own list shows the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qnwmh.oversight.models import CaseStatus, Outcome, Source
from tests import factories as f
from tests import factories_oversight as fo
from tests.phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, base: str, username: str, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def test_the_body_assesses_on_a_phone_and_the_city_confirms(
    world: Any, live_server: Any, browser: Any, tmp_path: Any
) -> None:
    # Marks under which full self and body points (and nothing logged) pass.
    r = fo.review([world.title], year=2030)
    r.standard.pass_mark, r.standard.warning_mark, r.standard.star_down_mark = 60, 50, 40
    r.standard.save()
    case = r.cases.get()
    self_items = r.standard.items.filter(source=Source.SELF)
    case.self_scores = {str(i.id): {"points": str(i.points), "note": ""} for i in self_items}
    case.status = CaseStatus.SELF_REPORTED
    case.save()
    base = live_server.url

    body = _login(browser, base, "bodyadmin", **PHONE)
    body.goto(base + reverse("oversight:reviews"))
    assert_fits(body)
    body.get_by_test_id("reviews").get_by_role("link").first.click()
    body.get_by_test_id("progress").wait_for()
    assert_fits(body)
    body.goto(base + reverse("oversight:review_cases", args=[r.code]))
    body.get_by_test_id("cases").get_by_role("link", name=world.collective.name).click()
    form = body.get_by_test_id("assess-form")
    form.wait_for()
    assert_fits(body)
    for item in r.standard.items.filter(source=Source.BODY):
        form.locator(f"input[name=score_{item.id}]").fill(str(item.points))
    form.get_by_role("button", name="提交评价").click()
    body.get_by_text("评价已提交，待市级确认。").wait_for()
    assert body.get_by_test_id("case-status").inner_text() == "待市级确认"
    assert body.get_by_test_id("proposed").inner_text() == "合格"
    assert_fits(body)
    body.screenshot(path=str(tmp_path / "assessed.png"), full_page=True)

    city = _login(browser, base, "city")
    city.goto(base + reverse("oversight:review_case", args=[case.code]))
    decide = city.get_by_test_id("decide-form")
    assert decide.locator("select[name=outcome]").input_value() == Outcome.PASS
    city.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    decide.get_by_role("button", name="确认结论").click()
    city.get_by_text("复核结论已确认。").wait_for()
    assert city.get_by_test_id("outcome").inner_text().startswith("合格")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.outcome == Outcome.PASS

    manager = _login(browser, base, "manager", **PHONE)
    manager.goto(base + reverse("oversight:my_reviews"))
    assert "合格" in manager.get_by_test_id("my-cases").inner_text()
    assert_fits(manager)
