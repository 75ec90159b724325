"""Excel exports: formula-like text stays text, exports follow the page's filters and scope,
personal data is masked without the permission, every export is audited with its row count,
and the query count does not grow with the rows."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.audit.models import AuditEntry
from qnwmh.core.xlsx import spooled_workbook
from tests import factories as f

DANGEROUS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+86-1234",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=2+2",
    "=cmd|' /C calc'!A0",
]


def _book(response: Any) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.streaming
    data = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(data)), data


def _rows(wb: openpyxl.Workbook, sheet: str) -> list[list[Any]]:
    return [[c.value for c in row] for row in wb[sheet].iter_rows()]


def test_writer_never_writes_a_formula_and_marks_formula_like_text():
    fh, counts = spooled_workbook([("测试", ["值", "数"], ([v, -5] for v in DANGEROUS))])
    data = fh.read()
    assert counts == [len(DANGEROUS)]
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    ws = openpyxl.load_workbook(io.BytesIO(data))["测试"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == DANGEROUS
    for c in cells:
        assert c.data_type == "s", (c.value, c.data_type)
        assert c.quotePrefix, c.value  # Excel keeps it text even when the cell is edited
    numbers = [row[1] for row in ws.iter_rows(min_row=2)]
    assert all(c.value == -5 and c.data_type == "n" for c in numbers)  # real numbers stay numbers


def test_collective_export_writes_formula_like_names_as_text(world):
    for i, text in enumerate(DANGEROUS):
        f.collective(world.body, name=f"{text}{i}", members=0, address=text, pledges=text)
    wb, data = _book(world.client("body_admin").get(reverse("collectives:list") + "?format=xlsx"))
    assert b"<f>" not in data
    ws = wb["集体"]
    seen = 0
    for row in ws.iter_rows(min_row=2):
        for c in row:
            assert c.data_type != "f"
            if isinstance(c.value, str) and c.value[:1] in "=+-@\t":
                assert c.data_type == "s" and c.quotePrefix
                seen += 1
    assert seen >= len(DANGEROUS) * 2


def test_collective_export_has_the_lists_scope_filters_and_an_audit_entry(world):
    f.collective(world.body, name="石岐青年突击队", members=0)
    f.collective(world.body, name="石岐志愿服务队", members=0)
    client = world.client("body_admin")
    wb, _ = _book(client.get(reverse("collectives:list") + "?format=xlsx"))
    names = [r[0] for r in _rows(wb, "集体")[1:]]
    assert sorted(names) == sorted(
        ["石岐街道便民服务中心青年服务窗口", "石岐青年突击队", "石岐志愿服务队"]
    )
    assert world.other_collective.name not in names  # another body's collective never leaks
    assert _rows(wb, "集体")[0][:3] == ["集体名称", "所在单位", "组织管理机构"]

    wb, _ = _book(client.get(reverse("collectives:list") + "?format=xlsx&q=突击"))
    assert [r[0] for r in _rows(wb, "集体")[1:]] == ["石岐青年突击队"]
    entry = AuditEntry.objects.filter(code="collectives.collective.exported").first()
    assert entry is not None and entry.data["rows"] == 1 and entry.data["filters"] == {"q": "突击"}
    assert entry.actor_label == world.users["body_admin"].username


def test_roster_export_masks_phones_without_the_permission(world):
    url = reverse("collectives:members_export")
    # The body admin holds collectives.view_personal_data for its own collectives.
    wb, _ = _book(world.client("body_admin").get(url))
    rows = _rows(wb, "成员")
    assert rows[0] == [
        "组织管理机构",
        "集体名称",
        "姓名",
        "出生日期",
        "国籍",
        "岗位",
        "手机号",
        "号长",
    ]
    assert len(rows) == 1 + 8 and {r[6] for r in rows[1:]} == {"13812345678"}
    # The city admin sees every roster but not members' phones in full.
    wb, _ = _book(world.client("city_admin").get(url))
    rows = _rows(wb, "成员")[1:]
    assert len(rows) == 16
    assert {r[6] for r in rows} == {"138****5678"}
    entry = AuditEntry.objects.filter(code="collectives.member.exported").first()
    assert entry.data["rows"] == 16
    # The outsider's export holds only its own body's roster.
    wb, _ = _book(world.client("outsider").get(url))
    assert {r[1] for r in _rows(wb, "成员")[1:]} == {world.other_collective.name}


def test_other_lists_export_what_the_page_shows(world):
    client = world.client("city_admin")
    wb, _ = _book(client.get(reverse("accounts:user_list") + "?format=xlsx&q=body"))
    assert [r[0] for r in _rows(wb, "账号")[1:]] == ["bodyadmin"]
    wb, _ = _book(client.get(reverse("audit:log") + "?format=xlsx&code=accounts.user."))
    assert all(r[3].startswith("accounts.user.") for r in _rows(wb, "审计日志")[1:])
    wb, _ = _book(client.get(reverse("accounts:login_log") + "?format=xlsx"))
    assert _rows(wb, "登录日志")[0][:3] == ["时间", "类型", "用户名"]
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"accounts.user.exported", "audit.log.exported", "accounts.login_log.exported"} <= codes
    assert AuditEntry.objects.get(code="accounts.user.exported").data["rows"] == 1


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["collectives:list", "collectives:members_export"])
def test_export_query_count_does_not_grow_with_rows(world, url_name):
    url = reverse(url_name) + ("?format=xlsx" if url_name == "collectives:list" else "")
    client = world.client("body_admin")
    for _ in range(2):
        f.title(f.collective(world.body, members=3))
    small = _queries(client, url)
    for _ in range(12):
        f.title(f.collective(world.body, members=3))
    assert _queries(client, url) == small


def test_users_export_query_count_does_not_grow(world):
    client = world.client("city_admin")
    url = reverse("accounts:user_list") + "?format=xlsx"
    small = _queries(client, url)
    for i in range(10):
        f.user(f"extra{i}", f.Role.COLLECTIVE_MANAGER, collective=world.collective)
    assert _queries(client, url) == small
