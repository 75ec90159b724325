"""A leader checks in at the venue by the session's QR code on a phone (signing in as the
collective's manager on the way), then takes the session's test and passes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from qnwmh.knowledge.models import Attempt
from qnwmh.training.models import Invitation
from tests import factories as f
from tests import factories_training as ft
from tests import knowledge_builders as kb
from tests.phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_checks_in_by_qr_on_a_phone_and_takes_the_test(
    live_server: Any, browser: Any, world: Any
) -> None:
    session = ft.session(world)
    page = browser.new_context(**PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    # The QR code holds this address; the phone opens it and is asked to sign in first.
    page.goto(live_server.url + reverse("training:checkin", args=[session.checkin_token]))
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")

    expect(page.get_by_test_id("mine")).to_contain_text(world.member.name)
    assert_fits(page)
    page.get_by_test_id("checkin").click()
    expect(page.get_by_test_id("checked-in")).to_be_visible()
    invitation = Invitation.objects.get(session=session, collective=world.collective)
    assert invitation.checked_in_at is not None
    assert invitation.checked_in_by == world.users["manager"]

    # Scanning again changes nothing: the page says it is done, with no button.
    page.reload()
    expect(page.get_by_test_id("checkin")).to_have_count(0)

    page.get_by_test_id("exam-link").click()
    candidacy = page.get_by_test_id("candidacy")
    expect(candidacy).to_contain_text(world.member.name)
    candidacy.get_by_role("button", name="开始答题").click()
    expect(page).to_have_url(re.compile(r"/office/knowledge/attempts/\w+/$"))
    attempt = Attempt.objects.get(exam=session.exam)
    for item in attempt.paper:
        for option_id in kb.key(item["q"]):
            page.locator(f"input[name=q{item['q']}][value='{option_id}']").check()
    page.get_by_role("button", name="交卷").click()
    expect(page.get_by_test_id("score")).to_contain_text("100")
    expect(page.get_by_test_id("score")).not_to_contain_text("不合格")
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.member == world.member
