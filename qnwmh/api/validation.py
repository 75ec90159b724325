"""Validation errors of the API in the reader's language.

Pydantic's messages are English ("Field required", "Input should be a valid integer"). Each
error keeps its ``loc`` and ``type`` (for programs) and gets a ``msg`` for people, in the
request's language and naming the field by its label, e.g. 「请填写集体名称。」."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# Field names of the API that are not model fields (or whose model label does not fit).
API_LABELS: dict[str, Promise] = {
    "username": _("用户名"),
    "password": _("密码"),
    "page": _("页码"),
    "page_size": _("每页条数"),
    "q": _("关键词"),
    "code": _("编号"),
    "collective_code": _("集体编号"),
    "service_code": _("服务类别"),
    "description": _("内容"),
    "first_name": _("姓名"),
    "action": _("操作"),
    "original_code": _("原件编号"),
    "reason": _("原因"),
}

# Models whose field labels name the API's inputs (first one wins on a shared name).
LABEL_MODELS = (
    "collectives.Collective",
    "collectives.Member",
    "collectives.Title",
    "cycles.Registration",
    "creation.LogEntry",
    "supervision.Complaint",
    "orgs.Organisation",
)

MESSAGES: dict[str, Promise] = {
    "missing": _("请填写%(label)s。"),
    "string_too_short": _("%(label)s至少 %(min_length)s 个字符。"),
    "string_too_long": _("%(label)s最多 %(max_length)s 个字符。"),
    "too_short": _("%(label)s至少 %(min_length)s 项。"),
    "too_long": _("%(label)s最多 %(max_length)s 项。"),
    "string_type": _("%(label)s应为文本。"),
    "string_pattern_mismatch": _("%(label)s格式不正确。"),
    "int_type": _("%(label)s应为整数。"),
    "int_parsing": _("%(label)s应为整数。"),
    "int_from_float": _("%(label)s应为整数。"),
    "float_type": _("%(label)s应为数字。"),
    "float_parsing": _("%(label)s应为数字。"),
    "decimal_type": _("%(label)s应为数字。"),
    "decimal_parsing": _("%(label)s应为数字。"),
    "greater_than": _("%(label)s须大于 %(gt)s。"),
    "greater_than_equal": _("%(label)s不能小于 %(ge)s。"),
    "less_than": _("%(label)s须小于 %(lt)s。"),
    "less_than_equal": _("%(label)s不能大于 %(le)s。"),
    "bool_type": _("%(label)s应为 true 或 false。"),
    "bool_parsing": _("%(label)s应为 true 或 false。"),
    "date_type": _("%(label)s应为日期（YYYY-MM-DD）。"),
    "date_parsing": _("%(label)s应为日期（YYYY-MM-DD）。"),
    "date_from_datetime_parsing": _("%(label)s应为日期（YYYY-MM-DD）。"),
    "datetime_type": _("%(label)s应为日期时间（ISO 8601）。"),
    "datetime_parsing": _("%(label)s应为日期时间（ISO 8601）。"),
    "datetime_from_date_parsing": _("%(label)s应为日期时间（ISO 8601）。"),
    "literal_error": _("%(label)s不是可选的值。"),
    "enum": _("%(label)s不是可选的值。"),
    "extra_forbidden": _("不接受字段%(label)s。"),
    "list_type": _("%(label)s应为列表。"),
    "dict_type": _("%(label)s格式不正确。"),
    "model_type": _("%(label)s格式不正确。"),
    "model_attributes_type": _("%(label)s格式不正确。"),
    "json_invalid": _("请求体不是有效的 JSON。"),
    "value_error": _("%(label)s%(colon)s%(error)s"),
}
FALLBACK = _("%(label)s的值无效。")
BODY = _("请求体")


@cache
def _model_labels() -> dict[str, Promise]:
    labels: dict[str, Promise] = {}
    for name in LABEL_MODELS:
        for field in apps.get_model(name)._meta.get_fields():
            label = getattr(field, "verbose_name", None)
            if isinstance(label, Promise):
                labels.setdefault(field.name, label)
    return labels


def field_label(loc: list[Any]) -> str:
    """The label of the innermost named field of ``loc`` (``["body", "payload", "name"]``)."""
    names = [p for p in loc if isinstance(p, str) and p not in ("body", "query", "path")]
    for name in reversed(names):
        label = API_LABELS.get(name) or _model_labels().get(name)
        if label is not None:
            return str(label)
    if names and names[-1] != "payload":
        return names[-1]
    return str(BODY)


def message(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence in the active language."""
    ctx = dict(error.get("ctx") or {})
    values = {k: v for k, v in ctx.items() if isinstance(v, int | float | str)}
    values["label"] = field_label(list(error.get("loc", [])))
    values["colon"] = pgettext("标点", "：")
    values["error"] = str(ctx.get("error", "")).removeprefix("Value error, ")
    template = MESSAGES.get(str(error.get("type", "")), FALLBACK)
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(FALLBACK) % values
