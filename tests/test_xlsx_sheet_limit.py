"""An XLSX sheet holds at most 1,048,576 rows (header included): the one writer goes on in a
continuation sheet "集体 (2)" with the same header, tested with a small limit."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from qnwmh.core import xlsx
from qnwmh.core.xlsx import XlsxWriter, spooled_workbook
from tests import factories as f


def _sheets(data: bytes) -> dict[str, list[list[Any]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}


def test_the_real_limit_is_excels():
    assert xlsx.MAX_ROWS == 1_048_576


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (5, {"集体": 2, "集体 (2)": 2, "集体 (3)": 1}),
        (4, {"集体": 2, "集体 (2)": 2}),
        (2, {"集体": 2}),
    ],
)
def test_a_full_sheet_goes_on_in_a_continuation_with_the_same_header(rows, expected):
    buf = io.BytesIO()
    writer = XlsxWriter(buf, max_rows=3)
    count = writer.add_sheet("集体", ["名称", "数"], ([f"第{i}", i] for i in range(rows)))
    writer.add_sheet("成员", ["姓名"], [["甲"]])
    writer.close()
    assert count == rows
    sheets = _sheets(buf.getvalue())
    assert list(sheets) == [*expected, "成员"]
    for name, n in expected.items():
        assert sheets[name][0] == ["名称", "数"] and len(sheets[name]) == n + 1
    values = [r[1] for name in expected for r in sheets[name][1:]]
    assert values == list(range(rows))  # every row once, in order


def test_a_long_name_keeps_its_continuation_number_within_31_characters():
    buf = io.BytesIO()
    writer = XlsxWriter(buf, max_rows=2)
    writer.add_sheet("很长的工作表名称" * 5, ["名称"], [["a"], ["b"]])
    writer.close()
    names = list(_sheets(buf.getvalue()))
    assert len(names) == 2 and names[1].endswith(" (2)") and all(len(n) <= 31 for n in names)


def test_exports_split_with_the_configured_limit(world, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    f.collective(world.body, name="石岐青年突击队", members=0)
    f.collective(world.body, name="石岐志愿服务队", members=0)
    response = world.client("body_admin").get(reverse("collectives:list") + "?format=xlsx")
    sheets = _sheets(b"".join(response.streaming_content))
    assert [n for n in sheets if n.startswith("集体")] == ["集体", "集体 (2)", "集体 (3)"]
    names = sorted(r[0] for n in ("集体", "集体 (2)", "集体 (3)") for r in sheets[n][1:])
    assert names == sorted(["石岐街道便民服务中心青年服务窗口", "石岐青年突击队", "石岐志愿服务队"])
    fh, counts = spooled_workbook([("x", ["h"], [[1], [2], [3]])])
    fh.close()
    assert counts == [3]
