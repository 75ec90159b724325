"""Playwright: a reviewer scores on a tablet (portrait iPad size): a per-field error in
Chinese, a draft, the submit; the other reviewers' scores appear only after submitting."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.certification.models import ScoreSheet, SheetStatus
from qnwmh.certification.services import scoring
from qnwmh.programme.models import Dimension
from tests import factories as f
from tests.phone import assert_fits
from tests.scoring_helpers import scores, setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=TABLET, has_touch=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # submitting asks first
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("article button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


def test_a_reviewer_scores_on_a_tablet(
    world: Any, live_server: Any, browser: Any, tmp_path: Any
) -> None:
    s = setup(world)
    scoring.save_sheet(
        f.actor(s.chair.user), assignment=s.chairs, score_set="site", scores=scores(66), submit=True
    )
    page = _login(browser, live_server, "reviewer")
    page.goto(f"{live_server.url}/office/certification/scoring/")
    page.get_by_test_id("my-sheets").get_by_role("link", name="未开始").first.click()
    page.get_by_test_id("peers").get_by_text("提交本人评分后可查看其他评委的评分。").wait_for()
    assert "66.00" not in page.content()

    for d in Dimension.values:
        page.fill(f"input[name={d}_points]", "85")
    page.fill("input[name=outcomes_points]", "30")  # below 60%: a comment is required
    page.get_by_role("button", name="提交评分").click()
    error = page.get_by_test_id("criterion-outcomes").locator(".form-error")
    error.wait_for()
    assert error.inner_text() == "“创建成效”得分低于满分的 60%，请填写评语。"
    assert_fits(page, TABLET["width"])
    page.screenshot(path=str(tmp_path / "sheet-error.png"), full_page=True)

    page.fill("textarea[name=outcomes_comment]", "成效材料不足，缺少服务对象评价。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存。").wait_for()
    assert ScoreSheet.objects.get(assignment=s.mine, score_set="site").status == SheetStatus.DRAFT
    assert "66.00" not in page.get_by_test_id("peers").inner_text()

    page.get_by_role("button", name="提交评分").click()
    page.get_by_text("评分表已提交。").wait_for()
    assert page.get_by_test_id("sheet-status").inner_text() == "已提交"
    peers = page.get_by_test_id("peers").inner_text()
    assert "66.00" in peers
    assert page.get_by_test_id("own-total").inner_text() == "77.14"  # (6 × 85 + 30) / 7
    page.screenshot(path=str(tmp_path / "sheet-submitted.png"), full_page=True)
