"""Rows → a plan of creates and updates, or every error by sheet, row and column.

The rules are the services' rules: ``_check_body`` (managing body in the actor's scope, town
of a town body), the models' field validation (lengths, e-mail, choices) and
``_check_birth_date`` (not in the future, minimum age from ``ProgrammeRules``), and
``core.validation`` (no invisible control characters, phones in their one written form). Lookups are
batched: a fixed number of queries per 500 keys, whatever the row count.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils import translation
from django.utils.translation import gettext as _

from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
)
from qnwmh.collectives.importing.files import Formula, Problem, Row
from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Member,
    Nationality,
    Ownership,
)
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.collectives.services import _check_birth_date, _check_body
from qnwmh.core.actor import Actor
from qnwmh.core.background import counted
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import can
from qnwmh.core.validation import check_text, normalise_phone
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.programme.models import ProgrammeRules

CHUNK = 500
HEADERS = {
    COLLECTIVES_SHEET: {c.key: c.header for c in COLLECTIVE_COLUMNS},
    MEMBERS_SHEET: {c.key: c.header for c in MEMBER_COLUMNS},
}
ORDER = {
    COLLECTIVES_SHEET: {c.header: i for i, c in enumerate(COLLECTIVE_COLUMNS)},
    MEMBERS_SHEET: {c.header: i for i, c in enumerate(MEMBER_COLUMNS)},
}
COLLECTIVE_TEXT = (
    "name",
    "work_unit",
    "address",
    "supervision_phone",
    "supervision_email",
    "pledges",
)
MEMBER_TEXT = ("name", "post", "phone")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_SPLIT = re.compile(r"[,，、;；\s]+")

CKey = tuple[int, str]  # (managing body id, collective name)


@dataclass
class CollectiveRow:
    row: int
    key: CKey
    values: dict[str, Any]
    existing: Collective | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class MemberRow:
    row: int
    ckey: CKey
    values: dict[str, Any]
    existing: Member | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class Plan:
    collectives: list[CollectiveRow]
    members: list[MemberRow]
    # Collectives the member sheet refers to that exist already (by key).
    existing: dict[CKey, Collective]

    def counts(self) -> dict[str, int]:
        c = Counter(r.action for r in self.collectives)
        m = Counter(r.action for r in self.members)
        return {
            "collectives_create": c["create"],
            "collectives_update": c["update"],
            "collectives_unchanged": c["unchanged"],
            "members_create": m["create"],
            "members_update": m["update"],
            "members_unchanged": m["unchanged"],
        }

    def summary(self, sample: int = 200) -> dict[str, Any]:
        headers = HEADERS[COLLECTIVES_SHEET]
        rows = [
            {
                "row": r.row,
                "name": r.values["name"],
                "body": r.values["body"].name,
                "action": r.action,
                "changed": [headers[k] for k in r.changes],
            }
            for r in self.collectives
            if r.action != "unchanged"
        ][:sample]
        per_collective: Counter[str] = Counter()
        for m in self.members:
            if m.action != "unchanged":
                per_collective[m.ckey[1]] += 1
        return {
            "counts": self.counts(),
            "collectives": rows,
            "members_by_collective": per_collective.most_common(sample),
        }


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*")


def _iso_date(text: str) -> datetime.date | None:
    """2024-06-01, the commonest written form, without strptime's cost; None otherwise."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _simple_length(model_field: Any) -> int | None:
    """The max_length of a text field whose only rules are its length (and no NUL), so the
    common case is a len() instead of the field's clean(); None for any other field."""
    plain = (MaxLengthValidator, ProhibitNullCharactersValidator)
    if model_field.max_length and all(isinstance(v, plain) for v in model_field.validators):
        return int(model_field.max_length)
    return None


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Validator:
    def __init__(self, actor: Actor, *, lock: bool = False) -> None:
        self.actor = actor
        self.lock = lock
        self.rules = ProgrammeRules.current()
        self.problems: list[Problem] = []
        # Per distinct value, not per row: a 100,000-row roster repeats bodies and dates.
        self.may_create: dict[int, bool] = {}
        self.birth_checked: dict[datetime.date, str | None] = {}
        self.simple_lengths: dict[Any, int | None] = {}
        self.member_fields: dict[str, Any] = {n: Member._meta.get_field(n) for n in MEMBER_TEXT}
        self.collective_fields: dict[str, Any] = {
            n: Collective._meta.get_field(n) for n in COLLECTIVE_TEXT
        }
        bodies = list(Organisation.objects.bodies().filter(active=True))
        shorts = Counter(b.short_name for b in bodies if b.short_name)
        self.bodies: dict[str, Organisation] = {
            b.short_name: b for b in bodies if b.short_name and shorts[b.short_name] == 1
        }
        self.bodies.update({b.name: b for b in bodies})
        self.towns: dict[str, Town] = {}
        for t in Town.objects.filter(active=True):
            for alias in _SPLIT.split(t.also_known_as or ""):
                if alias:
                    self.towns.setdefault(alias, t)
        self.towns.update({t.name: t for t in Town.objects.filter(active=True)})
        self.sectors = {s.name: s for s in Sector.objects.filter(active=True)}
        self.nationalities: dict[str, str] = {
            "中国": Nationality.CN,
            "中国籍": Nationality.CN,
            "CN": Nationality.CN,
            "China": Nationality.CN,
            "其他国籍": Nationality.OTHER,
            "其他": Nationality.OTHER,
            "外国": Nationality.OTHER,
            "外国籍": Nationality.OTHER,
            "XX": Nationality.OTHER,
        }
        self.ownerships: dict[str, str] = {}
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                self.ownerships.update({str(label): value for value, label in Ownership.choices})
        self.ownerships.update({value: value for value in Ownership.values})
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                self.nationalities.update({str(label): v for v, label in Nationality.choices})
        self.booleans = {
            "是": True,
            "否": False,
            "Y": True,
            "N": False,
            "YES": True,
            "NO": False,
            "1": True,
            "0": False,
            "TRUE": True,
            "FALSE": False,
            "√": True,
            "": False,
        }

    # Helpers ----------------------------------------------------------------------------

    def error(self, sheet: str, row: int | None, key: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, HEADERS[sheet].get(key, key), message))

    def _text(self, sheet: str, row: int, values: dict[str, Any], key: str) -> str | None:
        value = values.get(key)
        if value is None:
            return ""
        if isinstance(value, Formula):
            self.error(
                sheet, row, key, _("单元格含有公式，请改为直接填写数值（选择性粘贴为“值”）。")
            )
            return None
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime):
            value = value.date()
        text = str(value).strip()
        if text.isprintable():  # no control or format character (C-speed common case)
            return text
        try:
            check_text(text, field=key)
        except DomainError as exc:
            self.error(sheet, row, key, str(exc))
            return None
        return text

    def _body(self, sheet: str, row: int, name: str) -> Organisation | None:
        body = self.bodies.get(name)
        if body is not None and body.pk not in self.may_create:
            self.may_create[body.pk] = can(self.actor, "collectives.create", body)
        if body is None or not self.may_create[body.pk]:
            self.error(
                sheet,
                row,
                "body",
                _("组织管理机构“%(name)s”不存在或不在您的管辖范围内。") % {"name": name},
            )
            return None
        return body

    def _date(self, row: int, values: dict[str, Any]) -> datetime.date | None:
        value = values.get("birth_date")
        sheet = MEMBERS_SHEET
        if isinstance(value, Formula):
            self.error(
                sheet,
                row,
                "birth_date",
                _("单元格含有公式，请改为直接填写数值（选择性粘贴为“值”）。"),
            )
            return None
        parsed: datetime.date | None = None
        if isinstance(value, datetime.datetime):
            parsed = value.date()
        elif isinstance(value, datetime.date):
            parsed = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if 1 <= value < 80000 and float(value).is_integer():
                parsed = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
            elif 19000101 <= value <= 21001231:
                parsed = self._parse_date_text(str(int(value)))
        elif isinstance(value, str):
            parsed = _iso_date(value) or self._parse_date_text(value.strip())
        if parsed is None:
            self.error(
                sheet,
                row,
                "birth_date",
                _("出生日期“%(value)s”无法识别，请填写如 1995-06-01 的日期。") % {"value": value},
            )
            return None
        if parsed not in self.birth_checked:
            try:
                _check_birth_date(parsed, self.rules)
                self.birth_checked[parsed] = None
            except DomainError as exc:
                self.birth_checked[parsed] = str(exc)
        message = self.birth_checked[parsed]
        if message is not None:
            self.error(sheet, row, "birth_date", message)
            return None
        return parsed

    @staticmethod
    def _parse_date_text(text: str) -> datetime.date | None:
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return None

    def _field_errors(self, sheet: str, row: int, exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            self.error(sheet, row, name, str(messages[0]))

    # Collectives ------------------------------------------------------------------------

    def collectives(self, rows: list[Row]) -> tuple[list[CollectiveRow], set[CKey]]:
        sheet = COLLECTIVES_SHEET
        pending: list[CollectiveRow] = []
        seen: dict[CKey, int] = {}
        named: set[CKey] = set()  # every key the sheet names, valid or not
        for rownum, values in counted(rows):
            before = len(self.problems)
            text = {k: self._text(sheet, rownum, values, k) for k in COLLECTIVE_TEXT}
            raw = {
                k: self._text(sheet, rownum, values, k)
                for k in ("body", "town", "sector", "ownership")
            }
            for column in COLLECTIVE_COLUMNS:
                if column.required and (text.get(column.key, raw.get(column.key)) == ""):
                    self.error(sheet, rownum, column.key, _("必填项不能为空。"))
            body = self._body(sheet, rownum, raw["body"]) if raw["body"] else None
            if body is not None and text["name"]:
                named.add((body.pk, text["name"]))
            town = self.towns.get(raw["town"] or "")
            if raw["town"] and town is None:
                self.error(
                    sheet, rownum, "town", _("镇区“%(name)s”不存在。") % {"name": raw["town"]}
                )
            sector = self.sectors.get(raw["sector"] or "") if raw["sector"] else None
            if raw["sector"] and sector is None:
                self.error(
                    sheet,
                    rownum,
                    "sector",
                    _("行业系统“%(name)s”不存在。") % {"name": raw["sector"]},
                )
            ownership = self.ownerships.get(raw["ownership"] or "")
            if raw["ownership"] and ownership is None:
                self.error(
                    sheet,
                    rownum,
                    "ownership",
                    _("单位性质“%(value)s”无效，请填写：%(choices)s。")
                    % {
                        "value": raw["ownership"],
                        "choices": "、".join(str(label) for _v, label in Ownership.choices),
                    },
                )
            # Each text cell by the model's own field rules, whatever else is wrong in the
            # row: every error of a row is reported at once.
            self._text_fields_valid(sheet, rownum, self.collective_fields, text)
            if body is not None and town is not None:
                try:
                    _check_body(self.actor, Collective(body=body, town=town))
                except DomainError as exc:
                    self.error(sheet, rownum, exc.field or "", str(exc))
            if body is not None and text["name"]:
                key = (body.pk, str(text["name"]))
                if key in seen:
                    self.error(
                        sheet,
                        rownum,
                        "name",
                        _("与第 %(row)s 行重复（同一组织下的同名集体）。") % {"row": seen[key]},
                    )
                else:
                    seen[key] = rownum
            if len(self.problems) > before or body is None or town is None or ownership is None:
                continue
            fields = {**text, "body": body, "town": town, "sector": sector, "ownership": ownership}
            candidate = Collective(**fields)
            try:
                candidate.clean_fields(
                    exclude=[
                        "code",
                        "photo",
                        "status",
                        "eligibility",
                        "member_count",
                        "created_at",
                        "body",
                        "town",
                        "sector",
                    ]
                )
            except ValidationError as exc:
                self._field_errors(sheet, rownum, exc)
                continue
            pending.append(CollectiveRow(rownum, key, fields))
        existing = self.find_collectives(list(seen))
        for r in pending:
            found = existing.get(r.key)
            if found is None:
                continue
            if found.status == CollectiveStatus.ARCHIVED:
                self.error(
                    sheet,
                    r.row,
                    "name",
                    _("集体“%(name)s”已归档，不能通过导入修改。") % {"name": found.name},
                )
                continue
            r.existing = found
            r.changes = {
                k: v
                for k, v in r.values.items()
                if (
                    getattr(found, f"{k}_id")
                    if k in ("body", "town", "sector")
                    else getattr(found, k)
                )
                != (v.pk if k in ("body", "town", "sector") and v is not None else v)
            }
        return pending, named

    def find_collectives(self, keys: list[CKey]) -> dict[CKey, Collective]:
        found: dict[CKey, Collective] = {}
        by_body: dict[int, list[str]] = {}
        for body_id, name in keys:
            by_body.setdefault(body_id, []).append(name)
        for body_id, names in by_body.items():
            for chunk in _chunks(names):
                qs = Collective.objects.filter(body_id=body_id, name__in=chunk)
                if self.lock:
                    qs = qs.select_for_update()
                for c in qs:
                    found[(c.body_id, c.name)] = c
        return found

    # Members ----------------------------------------------------------------------------

    def _text_fields_valid(
        self, sheet: str, rownum: int, model_fields: dict[str, Any], text: dict[str, Any]
    ) -> None:
        """The model's own field rules (max_length and validators) for the filled-in text
        cells; empty required cells and the choices are reported by the callers. Faster than
        building a model instance per row."""
        for name, model_field in model_fields.items():
            value = text.get(name)
            if not value:  # None: the cell held a formula, reported already
                continue
            if model_field not in self.simple_lengths:
                self.simple_lengths[model_field] = _simple_length(model_field)
            length = self.simple_lengths[model_field]
            if length is not None and len(value) <= length and "\x00" not in value:
                continue
            try:
                model_field.clean(value, None)
            except ValidationError as exc:
                self.error(sheet, rownum, name, str(exc.messages[0]))

    def members(
        self, rows: list[Row], in_file: dict[CKey, CollectiveRow], named: set[CKey]
    ) -> tuple[list[MemberRow], dict[CKey, Collective]]:
        sheet = MEMBERS_SHEET
        pending: list[MemberRow] = []
        seen: dict[tuple[CKey, str, datetime.date], int] = {}
        leaders: dict[CKey, int] = {}
        elsewhere: dict[CKey, list[int]] = {}
        for rownum, values in counted(rows):
            before = len(self.problems)
            text = {k: self._text(sheet, rownum, values, k) for k in MEMBER_TEXT}
            raw = {
                k: self._text(sheet, rownum, values, k)
                for k in ("body", "collective", "nationality", "is_leader")
            }
            for column in MEMBER_COLUMNS:
                if (
                    column.required
                    and column.key != "birth_date"
                    and text.get(column.key, raw.get(column.key)) == ""
                ):
                    self.error(sheet, rownum, column.key, _("必填项不能为空。"))
            if values.get("birth_date") is None:
                self.error(sheet, rownum, "birth_date", _("必填项不能为空。"))
                birth = None
            else:
                birth = self._date(rownum, values)
            body = self._body(sheet, rownum, raw["body"]) if raw["body"] else None
            nationality = self.nationalities.get(raw["nationality"] or "中国")
            if nationality is None:
                self.error(
                    sheet,
                    rownum,
                    "nationality",
                    _("国籍“%(value)s”无效，请填写“中国”或“其他国籍”。")
                    % {"value": raw["nationality"]},
                )
            leader = self.booleans.get((raw["is_leader"] or "").upper())
            if leader is None:
                self.error(sheet, rownum, "is_leader", _("号长一栏请填写“是”或“否”。"))
            if text["phone"] and "*" in text["phone"]:
                self.error(
                    sheet, rownum, "phone", _("手机号含有掩码字符 *，请填写完整号码或留空。")
                )
                text = {**text, "phone": ""}  # one message for the cell
            elif text["phone"]:
                try:
                    text = {**text, "phone": normalise_phone(text["phone"])}
                except DomainError as exc:
                    self.error(sheet, rownum, "phone", str(exc))
                    text = {**text, "phone": ""}
            # Each text cell by the model's field rules, whatever else is wrong in the row.
            self._text_fields_valid(sheet, rownum, self.member_fields, text)
            ckey = (body.pk, str(raw["collective"])) if body is not None else None
            if ckey is not None and birth is not None and text["name"]:
                mkey = (ckey, str(text["name"]), birth)
                if mkey in seen:
                    self.error(
                        sheet,
                        rownum,
                        "name",
                        _("与第 %(row)s 行重复（同一集体中姓名和出生日期相同）。")
                        % {"row": seen[mkey]},
                    )
                else:
                    seen[mkey] = rownum
            if ckey is not None and leader:
                if ckey in leaders:
                    self.error(
                        sheet,
                        rownum,
                        "is_leader",
                        _("同一集体只能有一名号长（第 %(row)s 行已指定）。")
                        % {"row": leaders[ckey]},
                    )
                else:
                    leaders[ckey] = rownum
            if len(self.problems) > before or ckey is None or birth is None:
                continue
            fields = {
                "name": text["name"],
                "birth_date": birth,
                "nationality": nationality,
                "post": text["post"],
                "phone": text["phone"],
                "is_leader": bool(leader),
            }
            if ckey not in in_file:
                if ckey in named:
                    continue  # the collective's own row has an error, reported there
                elsewhere.setdefault(ckey, []).append(rownum)
            pending.append(MemberRow(rownum, ckey, fields))
        existing = self._existing_for_members(list(elsewhere))
        missing = {k for k in elsewhere if k not in existing}
        for ckey in missing:
            for rownum in elsewhere[ckey]:
                self.error(
                    sheet,
                    rownum,
                    "collective",
                    _("集体“%(name)s”不在“集体”表中，平台上也没有您可管理的同名集体。")
                    % {"name": ckey[1]},
                )
        pending = [m for m in pending if m.ckey not in missing]
        self._match_members(pending, in_file, existing)
        return pending, existing

    def _existing_for_members(self, keys: list[CKey]) -> dict[CKey, Collective]:
        found = self.find_collectives(keys)
        visible = set(
            collectives_visible_to(self.actor)
            .filter(pk__in=[c.pk for c in found.values()])
            .values_list("pk", flat=True)
        )
        return {
            k: c
            for k, c in found.items()
            if c.pk in visible
            and c.status == CollectiveStatus.ACTIVE
            and can(self.actor, "collectives.edit_roster", c)
        }

    def _match_members(
        self,
        pending: list[MemberRow],
        in_file: dict[CKey, CollectiveRow],
        existing: dict[CKey, Collective],
    ) -> None:
        ids: dict[CKey, int] = {k: c.pk for k, c in existing.items()}
        ids.update({k: r.existing.pk for k, r in in_file.items() if r.existing is not None})
        by_id = {v: k for k, v in ids.items()}
        current: dict[tuple[CKey, str, datetime.date], Member] = {}
        for chunk in _chunks(list(by_id)):
            for m in Member.objects.current().filter(collective_id__in=chunk):
                current[(by_id[m.collective_id], m.name, m.birth_date)] = m
        for r in pending:
            found = current.get((r.ckey, r.values["name"], r.values["birth_date"]))
            if found is None:
                continue
            r.existing = found
            r.changes = {k: v for k, v in r.values.items() if getattr(found, k) != v}


def build_plan(
    actor: Actor, rows: dict[str, list[Row]], *, lock: bool = False
) -> tuple[Plan | None, list[Problem]]:
    v = Validator(actor, lock=lock)
    collectives, named = v.collectives(rows.get(COLLECTIVES_SHEET, []))
    in_file = {r.key: r for r in collectives}
    members, existing = v.members(rows.get(MEMBERS_SHEET, []), in_file, named)
    if v.problems:
        return None, v.problems
    return Plan(collectives=collectives, members=members, existing=existing), []


def sort_problems(problems: list[Problem]) -> list[Problem]:
    sheets = {COLLECTIVES_SHEET: 0, MEMBERS_SHEET: 1}
    return sorted(
        problems,
        key=lambda p: (
            sheets.get(p.sheet, -1),
            p.row or 0,
            ORDER.get(p.sheet, {}).get(p.column, 99),
        ),
    )
