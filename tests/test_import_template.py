"""Import: every error of a row is reported at once (fix one, never meet the next), and the
downloadable template carries drop-down lists of the valid values and an example row that
the importer ignores."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
from django.urls import reverse

from qnwmh.collectives.importing.columns import EXAMPLE_MARK
from qnwmh.collectives.importing.services import import_apply, import_upload
from qnwmh.collectives.models import Collective, Member, Ownership
from tests import factories as f
from tests.xlsx_builders import collective_row, member_rows, upload, workbook


def _errors(world: Any, data: bytes) -> set[tuple[str, int | None, str]]:
    batch = import_upload(world.actor("body_admin"), upload=upload(data))
    assert batch.status == "invalid"
    return {(e["sheet"], e["row"], e["column"]) for e in batch.errors}


# Every error of a row ----------------------------------------------------------------------


def test_a_collective_row_reports_every_error_at_once(world):
    bad = collective_row(
        world.body,
        "石岐青年突击队",
        所在单位="",
        所在镇区="火星镇",
        行业系统="不存在的行业",
        单位性质="外企",
        监督邮箱="not-an-email",
        地址="路" * 201,
    )
    errors = _errors(world, workbook([bad]))
    assert {
        ("集体", 2, "所在单位"),
        ("集体", 2, "所在镇区"),
        ("集体", 2, "行业系统"),
        ("集体", 2, "单位性质"),
        ("集体", 2, "监督邮箱"),
        ("集体", 2, "地址"),
    } <= errors


def test_a_bad_email_is_reported_beside_a_bad_body(world):
    bad = collective_row(world.body, "石岐青年突击队", 监督邮箱="jd@", 组织管理机构="别处团委")
    errors = _errors(world, workbook([bad]))
    assert {("集体", 2, "监督邮箱"), ("集体", 2, "组织管理机构")} <= errors


def test_a_member_row_reports_every_error_at_once(world):
    name = world.collective.name
    bad = member_rows(
        world.body, name, n=1, 国籍="火星", 号长="也许", 岗位="岗" * 51, 手机号="1" * 21
    )
    errors = _errors(world, workbook([], bad))
    assert {
        ("成员", 2, "国籍"),
        ("成员", 2, "号长"),
        ("成员", 2, "岗位"),
        ("成员", 2, "手机号"),
    } <= errors
    # A bad date and an over-long name in the same row: both.
    bad = member_rows(world.body, name, n=1, 出生日期="1990-02-30", 姓名="名" * 51)
    errors = _errors(world, workbook([], bad))
    assert {("成员", 2, "出生日期"), ("成员", 2, "姓名")} <= errors


def test_still_all_or_nothing(world):
    good = collective_row(world.body, "石岐青年突击队")
    bad = collective_row(world.body, "石岐志愿服务队", 监督邮箱="x", 所在镇区="火星镇")
    before = (Collective.objects.count(), Member.objects.count())
    batch = import_upload(world.actor("body_admin"), upload=upload(workbook([good, bad])))
    assert batch.status == "invalid" and len(batch.errors) == 2
    assert (Collective.objects.count(), Member.objects.count()) == before


# The template ------------------------------------------------------------------------------


def _template(world: Any, role: str = "body_admin") -> tuple[bytes, Any]:
    response = world.client(role).get(reverse("collectives:import_template"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return data, openpyxl.load_workbook(io.BytesIO(data))


def _list_values(wb: Any, formula: str) -> list[Any]:
    m = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, formula
    sheet, col, first, _col, last = m.groups()
    ws = wb[sheet.replace("''", "'")]
    return [ws[f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


def _dropdowns(wb: Any, sheet: str) -> dict[str, list[Any]]:
    ws = wb[sheet]
    headers = {c.column_letter: c.value for c in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        first = str(dv.sqref).split(":")[0]
        column = re.match(r"[A-Z]+", first).group(0)
        assert first == f"{column}2"  # from the first data row down
        out[headers[column]] = _list_values(wb, dv.formula1)
    return out


def test_template_offers_drop_down_lists_of_the_valid_values(world):
    f.sector("教育")
    _data, wb = _template(world)
    collectives = _dropdowns(wb, "集体")
    assert set(collectives) == {"组织管理机构", "所在镇区", "行业系统", "单位性质"}
    assert collectives["组织管理机构"] == [world.body.name]  # only the bodies the user may use
    assert {"石岐街道", "小榄镇"} <= set(collectives["所在镇区"])
    assert {"卫生健康", "教育"} <= set(collectives["行业系统"])
    assert collectives["单位性质"] == [str(label) for _v, label in Ownership.choices]
    members = _dropdowns(wb, "成员")
    assert set(members) == {"组织管理机构", "国籍", "号长"}
    assert members["组织管理机构"] == [world.body.name]
    assert members["号长"] == ["是", "否"] and "中国" in members["国籍"]
    # The city admin may use every body.
    _data, wb = _template(world, "city_admin")
    assert {world.body.name, world.other_body.name} <= set(_dropdowns(wb, "集体")["组织管理机构"])


def test_template_has_a_marked_example_row_in_each_sheet(world):
    _data, wb = _template(world)
    for sheet, key in (("集体", "集体名称"), ("成员", "集体名称")):
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        example = dict(zip(headers, [c.value for c in ws[2]], strict=False))
        assert str(example[key]).startswith(EXAMPLE_MARK)
        assert example["组织管理机构"] == world.body.name
    ws = wb["成员"]
    member = dict(zip([c.value for c in ws[1]], [c.value for c in ws[2]], strict=True))
    assert member["出生日期"].year == 1995  # a real date cell


def test_importing_the_untouched_template_creates_nothing(world):
    data, _wb = _template(world)
    before = (Collective.objects.count(), Member.objects.count())
    batch = import_upload(world.actor("body_admin"), upload=upload(data, "模板.xlsx"))
    assert not any(EXAMPLE_MARK in str(e) for e in batch.errors)
    if batch.status == "ready":
        import_apply(world.actor("body_admin"), batch=batch)
    assert (Collective.objects.count(), Member.objects.count()) == before
    assert not Collective.objects.filter(name__startswith=EXAMPLE_MARK).exists()


def test_the_template_filled_in_imports_its_rows_but_not_the_example(world):
    _data, wb = _template(world)
    wb["集体"].append(collective_row(world.body, "石岐青年突击队"))
    for row in member_rows(world.body, "石岐青年突击队"):
        wb["成员"].append(row)
    out = io.BytesIO()
    wb.save(out)
    batch = import_upload(world.actor("body_admin"), upload=upload(out.getvalue()))
    assert batch.status == "ready", batch.errors
    import_apply(world.actor("body_admin"), batch=batch)
    assert Collective.objects.filter(name="石岐青年突击队").exists()
    assert not Collective.objects.filter(name__startswith=EXAMPLE_MARK).exists()
    assert not Member.objects.filter(collective__name__startswith=EXAMPLE_MARK).exists()
