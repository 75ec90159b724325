"""Playwright: the city admin decides the final list on the audit page, downloads a
certificate, and the QR code printed on it (decoded from the PDF as a phone's camera would)
opens the public verify page, which says the certificate is valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qnwmh.awards.models import EntryStatus
from tests import factories as f
from tests.decision_helpers import ready_shortlist
from tests.phone import assert_fits
from tests.qr_helpers import qr_codes_in_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # deciding asks first
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("article button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


def test_certificate_qr_opens_the_verify_page(
    world: Any, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    s = ready_shortlist([world.body], per_body=4)
    page = _login(browser, live_server, "city")
    page.goto(f"{live_server.url}/office/awards/shortlists/{s.code}/audit/")
    assert page.get_by_test_id("audit-row").count() == 2
    page.fill("input[name=document_no]", "中青联〔2026〕18号")
    page.get_by_role("button", name="认定所选集体").click()
    page.get_by_text("已认定 2 个集体，证书已生成。").wait_for()
    assert s.entries.filter(status=EntryStatus.DECIDED).count() == 2

    page.get_by_test_id("decided").get_by_role("link").first.click()
    page.get_by_test_id("plaque").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载证书（PDF）").click()
    pdf = Path(download.value.path()).read_bytes()
    [url] = qr_codes_in_pdf(pdf)
    assert url.startswith(f"{live_server.url}/verify/ZS")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True).new_page()
    phone.goto(url)
    verdict = phone.get_by_test_id("certificate-verdict")
    assert "证书有效" in verdict.inner_text()
    number = url.rstrip("/").rsplit("/", 1)[1]
    assert number in verdict.inner_text()
    assert_fits(phone)
    phone.screenshot(path=str(tmp_path / "verify-certificate.png"), full_page=True)
