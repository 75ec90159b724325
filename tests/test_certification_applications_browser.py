"""Phone-sized journey: a collective's manager opens the round, creates the application,
writes the self-assessment with a picked log entry and submits it (the confirmation is asked
in the page); the body admin then sees it waiting for its recommendation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qnwmh.certification.models import Application, ApplicationStatus, RoundStatus
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.cycles.models import RegistrationStatus
from qnwmh.programme.models import Dimension
from tests import factories as f
from tests import factories_certification as fcert
from tests import factories_cycles as fc
from tests.phone import PHONE, assert_fits
from tests.test_certification_applications import entry


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
def test_a_manager_applies_on_a_phone(world: Any, live_server: Any, browser: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.APPLICATIONS)
    ensure_exam(system_actor(), r)
    fc.registration(r.cycle, world.collective, status=RegistrationStatus.FILED)
    own = entry(world.collective, r.cycle)
    base = live_server.url

    page = _login(browser, base, "manager")
    page.goto(base + reverse("certification:round", args=[r.code]))
    page.locator("main a", has_text="提交申报").click()
    page.get_by_role("button", name="建立申报").click()
    page.wait_for_url("**/edit/")
    assert_fits(page)
    page.fill("textarea[name=statement]", "以岗位练兵和开放周为载体提升服务。")
    for d in Dimension.values:
        page.fill(f"textarea[name=text_{d}]", "本维度自评。")
    systems = page.locator('fieldset[data-dimension="systems"]')
    systems.locator("summary").first.click()
    systems.get_by_label(own.title).check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("app-status").inner_text() == "填写中"
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("app-status").inner_text() == "待推荐"
    assert_fits(page)
    app = Application.objects.get(collective=world.collective)
    assert app.status == ApplicationStatus.SUBMITTED
    assert list(app.assessments.get(dimension="systems").entries.all()) == [own]

    admin = _login(browser, base, "bodyadmin")
    admin.goto(base + reverse("certification:applications", args=[r.code]) + "?status=submitted")
    assert world.collective.name in admin.get_by_test_id("applications").inner_text()
