"""Journey (b), office half: a body admin downloads the template, imports a file with one
bad row, sees the error, fixes it, sees the preview, confirms, and finds the new collectives
in the list. (The public-site half is added where the public site lives.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings

from qnwmh.collectives.models import Collective
from tests.xlsx_builders import collective_row, member_rows

NAMES = ("石岐街道青年突击队", "石岐街道青年志愿服务站")
SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_body_admin_imports_collectives_from_the_template(live_server, page, world, tmp_path):
    page.set_default_timeout(15_000)
    # Signed in as the body admin (the login page has its own tests).
    session = world.client("body_admin").cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/office/collectives/")
    page.get_by_role("button", name="Excel 导入").click()
    page.wait_for_url("**/office/collectives/import/")

    with page.expect_download() as info:
        page.get_by_role("button", name="下载导入模板（.xlsx）").click()
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)

    wb = openpyxl.load_workbook(template)
    for name in NAMES:
        wb["集体"].append(collective_row(world.body, name))
        for row in member_rows(world.body, name):
            wb["成员"].append(row)
    wb["成员"]["D6"] = "1990-02-30"  # the one bad row: no 30 February
    bad = tmp_path / "集体导入.xlsx"
    wb.save(bad)

    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/office/collectives/import/*/")
    errors = page.locator("table.import-errors tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    assert errors.first.inner_text().split("\t")[:3] == ["成员", "6", "出生日期"]
    assert "1990-02-30" in errors.first.inner_text()
    _shot(page, "import-errors")
    assert not Collective.objects.filter(name__in=NAMES).exists()

    wb["成员"]["D6"] = "1990-02-28"
    fixed = tmp_path / "集体导入-修改后.xlsx"
    wb.save(fixed)
    page.get_by_role("button", name="重新上传").click()
    page.set_input_files("input[type=file]", str(fixed))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="确认导入").wait_for()
    assert page.locator("td[data-count=collectives_create]").inner_text() == "2"
    assert page.locator("td[data-count=members_create]").inner_text() == "16"
    assert "石岐街道青年突击队" in page.content()
    _shot(page, "import-preview")

    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入。").first.wait_for()
    assert Collective.objects.filter(name__in=NAMES, body=world.body).count() == 2

    page.get_by_role("link", name="查看集体列表").click()
    page.wait_for_url("**/office/collectives/")
    for name in NAMES:
        assert page.get_by_role("link", name=name).is_visible()
    _shot(page, "import-list")

    # ... and on the public site: each new collective's page (the one its notice-board QR opens)
    # shows its true standing (imported, not yet registered: not creating) and the supervision
    # links.
    for name in NAMES:
        code = Collective.objects.get(name=name, body=world.body).code
        visitor = page.context.browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[union-attr]
        visitor.goto(f"{live_server.url}/c/{code}/")
        assert visitor.locator("h1").inner_text() == name
        assert "未在创建" in visitor.content() and "创建中" not in visitor.content()
        assert visitor.get_by_role("button", name="投诉建议 / 服务评价").is_visible()
        visitor.close()
