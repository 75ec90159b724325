"""The audit log as people read it: the action in words, the object by its name and code,
the changes as a before/after table with field labels, choice labels and local times.

Entries store codes and JSON; everything here is derived when a page is shown, so older
entries read the same way. Per page: one query per object type to fetch codes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qnwmh.audit.labels import action_label
from qnwmh.audit.models import AuditEntry

# Keys that services put in ``data`` and that are no model field of the object.
DATA_LABELS = {
    "collective": gettext_lazy("集体"),
    "cycle": gettext_lazy("创建周期"),
    "body": gettext_lazy("组织管理机构"),
    "entry": gettext_lazy("开放周"),
    "files": gettext_lazy("文件"),
    "note": gettext_lazy("说明"),
    "reason": gettext_lazy("原因"),
    "version": gettext_lazy("版本"),
    "revision": gettext_lazy("修订号"),
    "rows": gettext_lazy("行数"),
    "sheets": gettext_lazy("工作表"),
    "filters": gettext_lazy("筛选条件"),
    "format": gettext_lazy("格式"),
    "visitors": gettext_lazy("参观人数"),
    "visit_on": gettext_lazy("参观日期"),
    "evidence_count": gettext_lazy("佐证数"),
    "role": gettext_lazy("角色"),
    "duty": gettext_lazy("职责"),
    "photos": gettext_lazy("照片数"),
    "date": gettext_lazy("日期"),
    "size": gettext_lazy("大小（字节）"),
    "seconds": gettext_lazy("用时（秒）"),
    "error": gettext_lazy("错误类型"),
    "restarted": gettext_lazy("重新开始"),
}
MAX_VALUE = 200


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    entry: AuditEntry
    action: str
    object_name: str
    object_code: str
    changes: list[Change] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


def _model(label_lower: str) -> type[models.Model] | None:
    if not label_lower:
        return None
    try:
        return apps.get_model(label_lower)
    except (LookupError, ValueError):
        return None


def _code_field(model: type[models.Model] | None) -> bool:
    if model is None or model is AuditEntry:
        return False
    try:
        return isinstance(model._meta.get_field("code"), models.CharField)
    except FieldDoesNotExist:
        return False


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        pass
    for f in model._meta.concrete_fields:
        if f.attname == key:
            return f
    return None


def _label(model: type[models.Model] | None, key: str) -> str:
    f = _field(model, key)
    if f is not None and getattr(f, "verbose_name", None) and str(f.verbose_name) != f.name:
        return str(f.verbose_name)
    return str(DATA_LABELS.get(key, key))


def _when(value: str) -> str:
    moment = parse_datetime(value) if "T" in value else None
    if moment is None:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


def value_text(model: type[models.Model] | None, key: str, value: Any) -> str:
    """One stored value in words: choice label, 是/否, local time, lists joined."""
    if value is None or value == "":
        return "—"
    f = _field(model, key)
    if f is not None and f.choices and not isinstance(value, list | dict):
        for choice, text in f.flatchoices:
            if choice == value:
                return str(text)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(value_text(None, "", v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{_label(model, k)}: {value_text(model, k, v)}" for k, v in value.items())
    text = _when(value) if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _codes(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    ids: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.object_type and e.object_id:
            ids[e.object_type].add(e.object_id)
    out: dict[tuple[str, str], str] = {}
    for label_lower, pks in ids.items():
        model = _model(label_lower)
        if not _code_field(model):
            continue
        assert model is not None
        valid = [pk for pk in pks if pk.isdigit() and len(pk) < 19]
        for pk, code in model._default_manager.filter(pk__in=valid).values_list("pk", "code"):
            out[(label_lower, str(pk))] = code
    return out


def present(entries: list[AuditEntry]) -> list[Row]:
    codes = _codes(entries)
    rows = []
    for e in entries:
        model = _model(e.object_type)
        before, after = e.before or {}, e.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        rows.append(
            Row(
                entry=e,
                action=action_label(e.code),
                object_name=e.object_repr,
                object_code=codes.get((e.object_type, e.object_id), ""),
                changes=[
                    Change(
                        _label(model, k),
                        value_text(model, k, before.get(k)) if k in before else "",
                        value_text(model, k, after.get(k)) if k in after else "",
                    )
                    for k in keys
                ],
                details=[(_label(model, k), value_text(model, k, v)) for k, v in e.data.items()],
            )
        )
    return rows


def object_q(raw: str) -> Q:
    """Entries about the object named ``raw``: by name (part of it), or by its full code as
    typed (any case, spaces and dashes ignored)."""
    condition = Q(object_repr__icontains=raw)
    code = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if not code or len(code) > 40:
        return condition
    for model in apps.get_models():
        if not _code_field(model):
            continue
        pks = [
            str(pk)
            for pk in model._default_manager.filter(code__in={code, raw.strip()}).values_list(
                "pk", flat=True
            )[:20]
        ]
        if pks:
            condition |= Q(object_type=model._meta.label_lower, object_id__in=pks)
    return condition
