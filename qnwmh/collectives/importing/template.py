"""The downloadable import template: the two data sheets with their headers, and a notes
sheet documenting every column and listing the values the actor may use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.accounts.actor import Actor
from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
    NOTES_SHEET,
)
from qnwmh.collectives.models import Ownership
from qnwmh.core.xlsx import spooled_workbook, xlsx_response
from qnwmh.orgs.models import Sector, Town
from qnwmh.orgs.selectors import bodies_visible_to


def _notes(actor: Actor) -> Iterator[list[Any]]:
    for sheet, columns in (
        (COLLECTIVES_SHEET, COLLECTIVE_COLUMNS),
        (MEMBERS_SHEET, MEMBER_COLUMNS),
    ):
        for c in columns:
            yield [sheet, c.header, _("是") if c.required else _("否"), str(c.doc)]
    yield []
    yield [
        _("导入规则"),
        _("任何一行有错误，整个文件都不会导入；页面会按工作表、行号和列列出全部错误。"),
    ]
    yield ["", _("导入只新增或更新，不会删除集体或成员。")]
    yield ["", _("不要使用公式；日期请填写为日期或 1995-06-01 这样的文字。")]
    yield []
    yield [_("可填写的组织管理机构")]
    for b in bodies_visible_to(actor).select_related(None).only("name", "short_name"):
        yield ["", b.name, b.short_name]
    yield [_("可填写的镇区")]
    for t in Town.objects.filter(active=True):
        yield ["", t.name]
    yield [_("可填写的行业系统")]
    for s in Sector.objects.filter(active=True):
        yield ["", s.name]
    yield [_("可填写的单位性质")]
    for _value, label in Ownership.choices:
        yield ["", str(label)]


def template_response(actor: Actor) -> FileResponse:
    fh, _counts = spooled_workbook(
        [
            (COLLECTIVES_SHEET, [c.header for c in COLLECTIVE_COLUMNS], []),
            (MEMBERS_SHEET, [c.header for c in MEMBER_COLUMNS], []),
            (NOTES_SHEET, [_("工作表"), _("列名"), _("必填"), _("说明")], _notes(actor)),
        ]
    )
    return xlsx_response(fh, "集体导入模板.xlsx")
