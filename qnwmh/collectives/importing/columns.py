"""The import format. Sheet names and headers are fixed Chinese text (a file format, not
interface text, so they do not change with the interface language)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COLLECTIVES_SHEET = "集体"
MEMBERS_SHEET = "成员"
NOTES_SHEET = "说明"
OPTIONS_SHEET = "选项"  # hidden: the lists behind the template's drop-downs
# The template's example rows start their collective's name with this mark; the importer
# skips such rows, so a template uploaded untouched (or with the example kept) creates nothing.
EXAMPLE_MARK = "【示例】"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    doc: str | Promise = ""


COLLECTIVE_COLUMNS = (
    Column(
        "name",
        "集体名称",
        True,
        _(
            "与“组织管理机构”一起作为匹配键：同一组织下同名的集体视为同一个，再次导入时更新而不是新建。"
        ),
    ),
    Column("work_unit", "所在单位", True),
    Column("body", "组织管理机构", True, _("团委全称或简称，须是您管辖的基层团委或团工委。")),
    Column(
        "town",
        "所在镇区",
        True,
        _("镇区名称，须与平台的镇区名称一致；镇区团委的集体须位于本镇区。"),
    ),
    Column("sector", "行业系统", False, _("行业系统名称，可留空。")),
    Column(
        "ownership", "单位性质", True, _("党政机关、事业单位、国有企业、非公企业、社会组织或其他。")
    ),
    Column("address", "地址"),
    Column("supervision_phone", "监督电话"),
    Column("supervision_email", "监督邮箱"),
    Column("pledges", "服务承诺"),
)

MEMBER_COLUMNS = (
    Column("body", "组织管理机构", True, _("成员所属集体的组织管理机构。")),
    Column(
        "collective",
        "集体名称",
        True,
        _("须是本文件“集体”表中的集体，或平台上您可管理的已有集体。"),
    ),
    Column(
        "name",
        "姓名",
        True,
        _("与集体、出生日期一起作为匹配键：已有的同名同生日成员会被更新而不是重复添加。"),
    ),
    Column(
        "birth_date",
        "出生日期",
        True,
        _("Excel 日期，或 1995-06-01、1995/6/1、19950601 格式的文字。"),
    ),
    Column("nationality", "国籍", False, _("“中国”或“其他国籍”，留空视为中国。")),
    Column("post", "岗位"),
    Column("phone", "手机号", False, _("不能含有掩码字符 *。")),
    Column("is_leader", "号长", False, _("“是”或“否”，留空视为否；每个集体至多一名号长。")),
)

SHEETS = {COLLECTIVES_SHEET: COLLECTIVE_COLUMNS, MEMBERS_SHEET: MEMBER_COLUMNS}

# The column whose value marks a row as the template's example.
EXAMPLE_KEY = {COLLECTIVES_SHEET: "name", MEMBERS_SHEET: "collective"}


def is_example(sheet: str, values: dict[str, object]) -> bool:
    value = values.get(EXAMPLE_KEY.get(sheet, ""))
    return isinstance(value, str) and value.strip().startswith(EXAMPLE_MARK)
