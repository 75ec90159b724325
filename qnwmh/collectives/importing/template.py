"""The downloadable import template: the two data sheets with their headers, an example row
in each (marked, and skipped by the importer), drop-down lists (data validation) on every
column with known valid values, a notes sheet documenting every column, and a hidden sheet
holding the lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    EXAMPLE_MARK,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
    NOTES_SHEET,
    OPTIONS_SHEET,
    Column,
)
from qnwmh.collectives.importing.files import limit
from qnwmh.collectives.models import Nationality, Ownership
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import can
from qnwmh.core.xlsx import ListValidation, Sheet, list_sheet, spooled_workbook, xlsx_response
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.orgs.selectors import bodies_visible_to

EXAMPLE_NAME = f"{EXAMPLE_MARK}某某中心青年服务窗口（此行导入时忽略）"


def _bodies(actor: Actor) -> list[Organisation]:
    """The managing bodies the actor may import into (the importer's own rule)."""
    qs = bodies_visible_to(actor).filter(active=True).order_by("path")
    return [b for b in qs.select_related(None) if can(actor, "collectives.create", b)]


def _notes(actor: Actor, bodies: list[Organisation]) -> Iterator[list[Any]]:
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
    yield [
        "",
        _("第 2 行是示例（集体名称以“%(mark)s”开头），导入时会被忽略，可保留或删除。")
        % {"mark": EXAMPLE_MARK},
    ]
    yield ["", _("带下拉列表的列可直接从列表中选择。")]
    yield []
    yield [_("可填写的组织管理机构")]
    for b in bodies:
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


def _row(columns: tuple[Column, ...], values: dict[str, Any]) -> list[Any]:
    return [values.get(c.key, "") for c in columns]


def _index(columns: tuple[Column, ...], key: str) -> int:
    return next(i for i, c in enumerate(columns) if c.key == key)


def template_response(actor: Actor) -> FileResponse:
    bodies = _bodies(actor)
    towns = [t.name for t in Town.objects.filter(active=True)]
    lists = [
        ("bodies", _("组织管理机构"), [b.name for b in bodies]),
        ("towns", _("镇区"), towns),
        ("sectors", _("行业系统"), [s.name for s in Sector.objects.filter(active=True)]),
        ("ownership", _("单位性质"), [str(label) for _v, label in Ownership.choices]),
        ("nationality", _("国籍"), [str(label) for _v, label in Nationality.choices]),
        ("leader", _("号长"), ["是", "否"]),  # the importer's fixed words
    ]
    options, ranges = list_sheet(OPTIONS_SHEET, [(title, values) for _k, title, values in lists])
    source = {key: r for (key, _t, _v), r in zip(lists, ranges, strict=True)}

    def validations(columns: tuple[Column, ...], pairs: dict[str, str], rows: int) -> list[Any]:
        return [
            # Warn, not refuse: the importer also takes short names, aliases and codes.
            ListValidation(_index(columns, column), source[key], last_row=rows + 1)
            for column, key in pairs.items()
            if source[key]
        ]

    body = bodies[0] if bodies else None
    town = body.town.name if body is not None and body.town else (towns[0] if towns else "")
    example_collective = {
        "name": EXAMPLE_NAME,
        "work_unit": _("中山市某某服务中心"),
        "body": body.name if body else "",
        "town": town,
        "ownership": str(Ownership.PUBLIC_INSTITUTION.label),
        "address": _("中山市某某路 1 号"),
        "supervision_phone": "0760-88888888",
        "supervision_email": "jiandu@example.cn",
        "pledges": _("热情服务，接受监督。"),
    }
    example_member = {
        "body": body.name if body else "",
        "collective": EXAMPLE_NAME,
        "name": _("张三"),
        "birth_date": datetime.date(1995, 6, 1),
        "nationality": str(Nationality.CN.label),
        "post": _("窗口服务"),
        "phone": "13800000000",
        "is_leader": "是",
    }
    fh, _counts = spooled_workbook(
        [
            Sheet(
                COLLECTIVES_SHEET,
                [c.header for c in COLLECTIVE_COLUMNS],
                [_row(COLLECTIVE_COLUMNS, example_collective)],
                validations(
                    COLLECTIVE_COLUMNS,
                    {
                        "body": "bodies",
                        "town": "towns",
                        "sector": "sectors",
                        "ownership": "ownership",
                    },
                    limit("IMPORT_MAX_COLLECTIVES"),
                ),
            ),
            Sheet(
                MEMBERS_SHEET,
                [c.header for c in MEMBER_COLUMNS],
                [_row(MEMBER_COLUMNS, example_member)],
                validations(
                    MEMBER_COLUMNS,
                    {"body": "bodies", "nationality": "nationality", "is_leader": "leader"},
                    limit("IMPORT_MAX_MEMBERS"),
                ),
            ),
            (NOTES_SHEET, [_("工作表"), _("列名"), _("必填"), _("说明")], _notes(actor, bodies)),
            options,
        ]
    )
    return xlsx_response(fh, "集体导入模板.xlsx")
