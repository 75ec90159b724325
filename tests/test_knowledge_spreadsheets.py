"""The question bank as a spreadsheet: the template imports nothing as it is, an export
imports back unchanged, errors are reported per row and column and block the whole file."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qnwmh.collectives.importing.xlsx_reader import XlsxReader
from qnwmh.core.xlsx import spooled_workbook
from qnwmh.knowledge import spreadsheets
from qnwmh.knowledge.models import Category, Question
from tests import knowledge_builders as kb


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> SimpleUploadedFile:
    fh, _n = spooled_workbook([(spreadsheets.SHEET, header or spreadsheets.HEADERS, rows)])
    return SimpleUploadedFile("bank.xlsx", fh.read())


def row(**over: Any) -> list[Any]:
    values = dict.fromkeys(spreadsheets.HEADERS, "")
    values.update(
        {
            "类别": "创建周期",
            "题型": "单选题",
            "题干": "创建周期是几年？",
            "选项A": "一年",
            "选项B": "两年",
            "正确答案": "B",
            "依据条款": "中山市实施意见 三",
        }
    )
    values.update(over)
    return [values[h] for h in spreadsheets.HEADERS]


def test_import_creates_then_changes_nothing(world: Any) -> None:
    admin = world.actor("city_admin")
    rows = [
        row(),
        row(题型="判断题", 题干="号长须为35周岁以下。", 选项A="", 选项B="", 正确答案="A"),
        row(
            题型="多选题",
            题干="哪些是评分维度？",
            选项C="营业收入",
            选项A="基础建设",
            选项B="岗位技能",
            正确答案="AB",
        ),
    ]
    report = spreadsheets.import_questions(admin, upload=workbook(rows), apply=True)
    assert report.problems == [] and report.applied
    assert (report.created, report.updated, report.new_categories) == (3, 0, ["创建周期"])
    tf = Question.objects.get(stem="号长须为35周岁以下。")
    assert list(tf.options.values_list("text", "correct")) == [("正确", True), ("错误", False)]

    again = spreadsheets.import_questions(admin, upload=workbook(rows), apply=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Question.objects.count() == 3


def test_errors_are_reported_and_nothing_is_imported(world: Any) -> None:
    rows = [
        row(),
        row(题干="", 题型="问答题"),
        row(题干="两个答案？", 正确答案="AB"),
        row(题干="公式", 依据条款="=HYPERLINK(1)"),
    ]
    report = spreadsheets.import_questions(
        world.actor("city_admin"), upload=workbook(rows), apply=True
    )
    found = {(p.row, p.column) for p in report.problems}
    assert {(3, "题干"), (3, "题型"), (4, "正确答案")} <= found
    assert not report.applied
    assert Question.objects.count() == 0 and not Category.objects.filter(name="创建周期").exists()


def test_check_only_writes_nothing(world: Any) -> None:
    report = spreadsheets.import_questions(
        world.actor("city_admin"), upload=workbook([row()]), apply=False
    )
    assert report.created == 1 and not report.applied
    assert Question.objects.count() == 0


def test_an_export_imports_back_unchanged(world: Any) -> None:
    c = kb.category(name="监督管理")
    kb.question(c)
    kb.question(c, kind="multiple", options=5)
    kb.question(c, kind="true_false")
    client = world.client("city_admin")
    response = client.get(reverse("knowledge:bank"), {"format": "xlsx"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    reader = XlsxReader(io.BytesIO(data))
    rows = list(reader.rows(spreadsheets.SHEET))
    assert [str(h) for h in rows[0][1]] == spreadsheets.HEADERS and len(rows) == 4
    upload = SimpleUploadedFile("export.xlsx", data)
    report = spreadsheets.import_questions(world.actor("city_admin"), upload=upload, apply=True)
    assert report.problems == [] and (report.created, report.unchanged) == (0, 3)


def test_the_template_imports_nothing_as_it_is(world: Any) -> None:
    client = world.client("city_admin")
    response = client.get(reverse("knowledge:bank_template"))
    data = b"".join(response.streaming_content)
    upload = SimpleUploadedFile("template.xlsx", data)
    report = spreadsheets.import_questions(world.actor("city_admin"), upload=upload, apply=True)
    assert [p.message for p in report.problems] == ["没有可导入的题目。"]


def test_the_import_page(world: Any) -> None:
    client = world.client("city_admin")
    bad = client.post(
        reverse("knowledge:bank_import"),
        {"file": SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
    )
    assert "旧版 Excel" in bad.content.decode()
    done = client.post(reverse("knowledge:bank_import"), {"file": workbook([row()])})
    assert done.status_code == 302 and Question.objects.filter(stem="创建周期是几年？").exists()
