"""Builders for import test files: workbooks in the template's format, written with openpyxl
the way a person's Excel would produce them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from qnwmh.collectives.importing.columns import COLLECTIVE_COLUMNS, MEMBER_COLUMNS

C_HEAD = [c.header for c in COLLECTIVE_COLUMNS]
M_HEAD = [c.header for c in MEMBER_COLUMNS]


def collective_row(body: Any, name: str, **over: Any) -> list[Any]:
    values = {
        "集体名称": name,
        "所在单位": "中山市测试单位",
        "组织管理机构": body.name,
        "所在镇区": body.town.name if body.town else "",
        "行业系统": "",
        "单位性质": "事业单位",
        "地址": "",
        "监督电话": "0760-88888888",
        "监督邮箱": "jd@example.cn",
        "服务承诺": "热情服务",
    }
    values.update(over)
    return [values[h] for h in C_HEAD]


def member_rows(
    body: Any, collective: str, n: int = 8, start: int = 0, **over: Any
) -> list[list[Any]]:
    rows = []
    for i in range(start, start + n):
        values = {
            "组织管理机构": body.name,
            "集体名称": collective,
            "姓名": f"{collective[:4]}成员{i}",
            "出生日期": f"{1992 + i % 8}-0{1 + i % 9}-1{i % 9}",
            "国籍": "中国",
            "岗位": "窗口",
            "手机号": f"1390000{i:04d}",
            "号长": "是" if i == start else "否",
        }
        values.update(over)
        rows.append([values[h] for h in M_HEAD])
    return rows


def workbook(
    collectives: Sequence[Sequence[Any]] = (),
    members: Sequence[Sequence[Any]] = (),
    *,
    c_head: Sequence[str] = C_HEAD,
    m_head: Sequence[str] = M_HEAD,
    sheets: Sequence[str] = ("集体", "成员"),
) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if "集体" in sheets:
        ws = wb.create_sheet("集体")
        ws.append(list(c_head))
        for r in collectives:
            ws.append(list(r))
    if "成员" in sheets:
        ws = wb.create_sheet("成员")
        ws.append(list(m_head))
        for r in members:
            ws.append(list(r))
    for extra in sheets:
        if extra not in ("集体", "成员"):
            wb.create_sheet(extra).append(["x"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def small_valid_file(body: Any, names: Sequence[str] = ("导入测试青年突击队",)) -> bytes:
    members: list[list[Any]] = []
    for name in names:
        members += member_rows(body, name)
    return workbook([collective_row(body, n) for n in names], members)
