"""Phone-sized journey (390 px): the city admin opens this year's provincial round, nominates
an eligible city title, records the province's grant (the page asks first), sees the city
title shown exempt from re-review, and downloads the dossier; nothing scrolls sideways."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.awards.models import Nomination, NominationRound, NominationStatus
from tests import factories as f
from tests.phone import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(**PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page


def test_the_city_nominates_and_records_the_grant_on_a_phone(
    world: Any, live_server: Any, browser: Any, tmp_path: Any
) -> None:
    today = timezone.localdate()
    r = NominationRound.objects.create(
        year=today.year,
        name=f"{today.year}年度广东省青年文明号推报",
        quota=2,
        deadline=today + datetime.timedelta(days=30),
        created_by=world.users["city_admin"],
    )
    base = live_server.url
    page = _login(browser, base, "city")
    page.goto(base + reverse("awards:nomination_rounds"))
    assert_fits(page)
    page.get_by_test_id("nomination-rounds").get_by_role("link", name=r.name).click()
    eligible = page.get_by_test_id("eligible")
    row = eligible.locator("tr", has_text=world.collective.name)
    row.get_by_role("link", name="推报").click()
    page.wait_for_url("**/nominate/**")
    assert_fits(page)
    page.fill("textarea[name=recommendation]", "窗口服务群众满意率连续三年 99% 以上。")
    page.get_by_role("button", name="推报").click()
    page.get_by_test_id("nomination-status").wait_for()
    assert page.get_by_test_id("nomination-status").inner_text() == "已推报"
    assert_fits(page)
    page.screenshot(path=str(tmp_path / "nominated.png"), full_page=True)

    page.get_by_label("获省级称号", exact=True).check()
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    page.get_by_test_id("outcome-form").get_by_role("button", name="登记").click()
    page.get_by_text("推报结果已登记。").wait_for()
    assert page.get_by_test_id("nomination-status").inner_text() == "已获省级称号"
    assert "免于市级复核" in page.get_by_test_id("exempt").inner_text()
    assert_fits(page)
    n = Nomination.objects.get()
    assert n.status == NominationStatus.GRANTED and n.provincial_title is not None

    with page.expect_download() as download:
        page.get_by_role("button", name="下载推报材料包").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        names = zipfile.ZipFile(io.BytesIO(fh.read())).namelist()
    assert names[0] == "说明.txt"

    page.goto(base + reverse("collectives:detail", args=[world.collective.code]))
    page.get_by_test_id("nomination-history").get_by_text("已获省级称号").wait_for()
    assert_fits(page)
