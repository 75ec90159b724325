"""Phone-sized journey (390 px) on the seed policy text: a body admin opens the consultation
(its row turns "opened"), comments on two sections and replies 无意见 to the rest; the city
reads the summary, is refused a disposition without a reason, then gives one. Nothing
scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qnwmh.consultation.models import Comment, RespondentStatus
from tests import factories as f
from tests import factories_consultation as fc
from tests.phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(**PHONE).new_page()
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def test_a_body_admin_comments_on_two_sections_and_no_comment_on_the_rest(
    world: Any, live_server: Any, browser: Any
) -> None:
    c = fc.opened(
        world, text=fc.seed_text(), title="关于进一步深化中山市青年文明号创建活动的实施意见"
    )
    row = c.respondents.get(organisation=world.body)
    base = live_server.url

    page = _page(browser, base, world.users["body_admin"].username)
    page.goto(base + reverse("consultation:list"))
    assert_fits(page)
    page.get_by_role("link", name=c.title).click()
    page.get_by_test_id("my-reply").wait_for()
    assert_fits(page)
    row.refresh_from_db()
    assert row.status == RespondentStatus.OPENED

    page.get_by_role("button", name="逐节提出意见").click()
    page.locator("fieldset", has_text="一、指导思想").locator("textarea").fill(
        "建议增加对非公企业团建的具体要求。"
    )
    page.locator("fieldset", has_text="（三）认定机制").locator("textarea").fill(
        "请明确现场考核与集中答辩的分值比例。"
    )
    assert page.get_by_label("其余章节无意见").is_checked()
    assert_fits(page)
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_text("已提交 2 条意见。").wait_for()
    own = page.get_by_test_id("own-comments")
    assert own.locator("tr").count() == 1 + 2
    row.refresh_from_db()
    assert row.status == RespondentStatus.COMMENTED
    assert sorted(
        Comment.objects.filter(respondent=row).values_list("section__heading", flat=True)
    ) == sorted(["指导思想", "认定机制"])

    city = _page(browser, base, world.users["city_admin"].username)
    city.goto(base + reverse("consultation:summary", args=[c.code]))
    assert "已提意见 1" in city.get_by_test_id("counts").inner_text()
    assert_fits(city)
    first = city.get_by_test_id("comment").first
    first.locator("select[name=disposition]").select_option("partly")
    first.get_by_role("button", name="处理").click()
    city.get_by_text("请填写处理理由。").wait_for()
    assert not Comment.objects.exclude(disposition="").exists()
    first = city.get_by_test_id("comment").first
    first.locator("select[name=disposition]").select_option("partly")
    first.locator("textarea[name=reason]").fill("部分内容已在第六条体现。")
    first.get_by_role("button", name="处理").click()
    city.get_by_text("已处理该条意见，并通知提出单位。").wait_for()
    assert Comment.objects.filter(disposition="partly").count() == 1
