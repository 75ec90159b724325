"""A leader takes the round's knowledge test on a phone: starts, answers (saved as they go,
surviving a reload), hands in and reads the per-category result."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from qnwmh.knowledge.models import Attempt, AttemptStatus
from tests import factories as f
from tests import knowledge_builders as kb
from tests.phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_takes_the_test_on_a_phone(live_server: Any, browser: Any, world: Any) -> None:
    exam = kb.round_exam(world)
    page = browser.new_context(**PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/?next=/office/knowledge/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")

    page.get_by_role("link", name=exam.name).click()
    candidacy = page.get_by_test_id("candidacy")
    expect(candidacy).to_contain_text(world.member.name)
    candidacy.get_by_role("button", name="开始答题").click()
    expect(page).to_have_url(re.compile(r"/office/knowledge/attempts/\w+/$"))
    attempt = Attempt.objects.get(exam=exam)

    questions = page.get_by_test_id("question")
    expect(questions).to_have_count(6)
    # Nothing overflows the phone's width.
    assert_fits(page)

    # Answer the first question right: saved at once, without a button.
    first = attempt.paper[0]
    key = kb.key(first["q"])
    for option_id in key:
        page.locator(f"input[name=q{first['q']}][value='{option_id}']").check()
    expect(page.locator("#save-state")).to_contain_text("已答 1 / 6 题")
    attempt.refresh_from_db()
    assert attempt.answers[str(first["q"])] == sorted(key)

    # A reload shows what was saved.
    page.reload()
    expect(page.locator(f"input[name=q{first['q']}][value='{key[0]}']")).to_be_checked()

    # The rest answered wrong, then hand in.
    for item in attempt.paper[1:]:
        page.locator(f"input[name=q{item['q']}][value='{kb.wrong(item['q'])[0]}']").check()
    page.get_by_role("button", name="交卷").click()

    expect(page.get_by_test_id("score")).to_contain_text("16.7")
    expect(page.get_by_test_id("score")).to_contain_text("不合格")
    expect(page.locator("main")).to_contain_text("各类别得分")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.passed is False

    # A retake is offered once.
    page.get_by_role("link", name="返回测试").click()
    expect(page.get_by_role("button", name="开始补考")).to_be_visible()
