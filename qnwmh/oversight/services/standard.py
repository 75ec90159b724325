"""The quantified standard (量化考核标准): versions per year, their items and marks.

City staff create a version (its items copied from the year's latest version, else the previous
year's latest, else ``defaults``), and edit its header, marks and items until a re-review opens
on it; the review part sets ``frozen_at`` then, and from that moment every edit here is refused
(a change means a new version). Each act is one transaction that re-reads the standard under a
lock, so an edit racing the opening of a review either lands before the freeze or is refused.
Every act is audited on the standard.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.oversight import defaults
from qnwmh.oversight.models import Metric, Source, Standard, StandardItem

HEADER_FIELDS = ("name", "pass_mark", "warning_mark", "star_down_mark", "note")
ITEM_FIELDS = ("label", "points", "source", "metric", "guidance", "evidence_required")
MAX_POINTS = 1000
MIN_YEAR, MAX_YEAR = 2000, 2100


# Checks -----------------------------------------------------------------------------------------


def _check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(_("请填写正确的年度。"), field="year")
    return year


def _check_header(values: dict[str, Any]) -> None:
    name = str(values.get("name") or "")
    if not name.strip():
        raise DomainError(_("请填写标准名称。"), field="name")
    for field in ("name", "note"):
        check_text(values.get(field) or "", field=field)
    marks = {}
    for field in ("pass_mark", "warning_mark", "star_down_mark"):
        try:
            marks[field] = int(values.get(field))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise DomainError(_("请填写分数线。"), field=field) from None
        if not 0 <= marks[field] <= MAX_POINTS:
            raise DomainError(_("分数线须在 0 到 1000 之间。"), field=field)
    if not marks["pass_mark"] >= marks["warning_mark"] >= marks["star_down_mark"] >= 0:
        raise DomainError(
            _("分数线须满足：合格分 ≥ 警告提醒分数线 ≥ 调整星级分数线 ≥ 0。"), field="pass_mark"
        )


def _check_item(values: dict[str, Any]) -> None:
    if not str(values.get("label") or "").strip():
        raise DomainError(_("请填写考核项目名称。"), field="label")
    for field in ("label", "guidance"):
        check_text(values.get(field) or "", field=field)
    try:
        points = int(values.get("points"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        points = 0
    if not 1 <= points <= MAX_POINTS:
        raise DomainError(_("分值须在 1 到 1000 之间。"), field="points")
    source, metric = values.get("source"), values.get("metric") or ""
    if source not in Source.values:
        raise DomainError(_("请选择评分来源。"), field="source")
    if source == Source.COMPUTED and metric not in Metric.values:
        raise DomainError(_("平台计算的项目须选择计算指标。"), field="metric")
    if source != Source.COMPUTED and metric:
        raise DomainError(_("只有平台计算的项目才有计算指标。"), field="metric")


def _check_total(s: Standard) -> None:
    """The pass mark must be reachable: at most the standard's total points."""
    total = s.items.aggregate(t=Sum("points"))["t"] or 0
    if s.pass_mark > total:
        raise DomainError(
            _("合格分（%(mark)s）不能高于各项分值合计（%(total)s）。")
            % {"mark": s.pass_mark, "total": total},
            field="pass_mark",
        )


def _lock_draft(standard: Standard) -> Standard:
    s = lock(Standard, standard.pk)
    if s.frozen:
        raise DomainError(
            _("该标准已被年度复核使用并冻结，不能修改；如需调整，请以此为基础建立新版本。")
        )
    return s


def _item_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values[k] for k in ITEM_FIELDS if k in values}
    out["metric"] = out.get("metric") or ""
    out["guidance"] = out.get("guidance") or ""
    out["evidence_required"] = bool(out.get("evidence_required"))
    return out


# Versions ---------------------------------------------------------------------------------------


def _template_for(year: int) -> Standard | None:
    """What a new version copies: the year's latest version, else the latest of the years
    before."""
    return (
        Standard.objects.filter(year=year).order_by("-version").first()
        or Standard.objects.filter(year__lt=year).order_by("-year", "-version").first()
    )


def _copied_items(source: Standard | None) -> Iterable[dict[str, Any]]:
    if source is None:
        for d in defaults.ITEMS:
            yield {
                "label": str(d.label),
                "points": d.points,
                "source": d.source,
                "metric": d.metric,
                "guidance": "",
                "evidence_required": d.evidence_required,
            }
        return
    for item in source.items.order_by("position"):
        yield {k: getattr(item, k) for k in ITEM_FIELDS}


@transaction.atomic
def create(
    actor: Actor,
    *,
    year: int,
    name: str = "",
    note: str = "",
    based_on: Standard | None = None,
) -> Standard:
    """A new version of the year's standard (version = the year's last + 1) with the items and
    marks of ``based_on`` — by default the year's latest version, else the previous years'
    latest, else the platform's defaults."""
    require(actor, "oversight.manage")
    year = _check_year(year)
    source = based_on if based_on is not None else _template_for(year)
    # Lock the year's versions so two clerks cannot both take the next number (for a year's
    # first version the unique (year, version) constraint refuses the second one). Rows, not
    # an aggregate: PostgreSQL refuses FOR UPDATE with an aggregate.
    versions = (
        Standard.objects.select_for_update().filter(year=year).values_list("version", flat=True)
    )
    last = max(versions, default=0)
    marks = (
        {
            "pass_mark": source.pass_mark,
            "warning_mark": source.warning_mark,
            "star_down_mark": source.star_down_mark,
        }
        if source is not None
        else {
            "pass_mark": defaults.PASS_MARK,
            "warning_mark": defaults.WARNING_MARK,
            "star_down_mark": defaults.STAR_DOWN_MARK,
        }
    )
    name = name.strip() or str(_("%(year)s 年度青年文明号量化考核标准") % {"year": year})
    values = {"name": name, "note": note, **marks}
    _check_header(values)
    s = Standard.objects.create(year=year, version=last + 1, created_by=actor.clerk, **values)
    StandardItem.objects.bulk_create(
        StandardItem(standard=s, position=i, **item)
        for i, item in enumerate(_copied_items(source), start=1)
    )
    log_action(
        actor,
        s,
        "oversight.standard.created",
        after=snapshot(s),
        data={"based_on": source.code if source is not None else "defaults"},
    )
    return s


@transaction.atomic
def update(actor: Actor, standard: Standard, **fields: Any) -> Standard:
    """Change the header and the marks of a draft standard."""
    require(actor, "oversight.manage")
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise DomainError(_("只能修改名称、分数线和说明。"))
    s = _lock_draft(standard)
    before = snapshot(s)
    for k, v in fields.items():
        setattr(s, k, v.strip() if k == "name" and isinstance(v, str) else v)
    _check_header({k: getattr(s, k) for k in HEADER_FIELDS})
    _check_total(s)
    s.save()
    log_action(actor, s, "oversight.standard.updated", before=before, after=snapshot(s))
    return s


# Items ------------------------------------------------------------------------------------------


@transaction.atomic
def add_item(actor: Actor, standard: Standard, **values: Any) -> StandardItem:
    """Add an item at the end of a draft standard."""
    require(actor, "oversight.manage")
    s = _lock_draft(standard)
    values = _item_values(values)
    _check_item(values)
    position = (s.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = StandardItem.objects.create(standard=s, position=position, **values)
    log_action(actor, s, "oversight.standard.item_added", after=snapshot(item))
    return item


@transaction.atomic
def update_item(actor: Actor, item: StandardItem, **values: Any) -> StandardItem:
    require(actor, "oversight.manage")
    s = _lock_draft(item.standard)
    current = StandardItem.objects.get(pk=item.pk, standard=s)
    before = snapshot(current)
    merged = {k: getattr(current, k) for k in ITEM_FIELDS}
    merged.update({k: v for k, v in values.items() if k in ITEM_FIELDS})
    merged = _item_values(merged)
    _check_item(merged)
    for k, v in merged.items():
        setattr(current, k, v)
    current.save()
    _check_total(s)
    log_action(actor, s, "oversight.standard.item_changed", before=before, after=snapshot(current))
    return current


def _renumber(s: Standard, ordered: list[StandardItem]) -> None:
    """Give ``ordered`` the positions 1..n. Positions are unique per standard, so the rows are
    first parked beyond any used position, then put in place."""
    park = 10_000
    for i, item in enumerate(ordered, start=1):
        item.position = park + i
    StandardItem.objects.bulk_update(ordered, ["position"])
    for i, item in enumerate(ordered, start=1):
        item.position = i
    StandardItem.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def move_item(actor: Actor, item: StandardItem, *, to: int) -> StandardItem:
    """Move an item to position ``to`` (1-based; clamped to the list), the others closing up."""
    require(actor, "oversight.manage")
    s = _lock_draft(item.standard)
    ordered = list(s.items.order_by("position"))
    current = next((i for i in ordered if i.pk == item.pk), None)
    if current is None:
        raise DomainError(_("考核项目不属于该标准。"))
    old = current.position
    ordered.remove(current)
    to = max(1, min(int(to), len(ordered) + 1))
    ordered.insert(to - 1, current)
    _renumber(s, ordered)
    log_action(
        actor,
        s,
        "oversight.standard.item_moved",
        data={"item": current.label, "from": old, "to": current.position},
    )
    return current


@transaction.atomic
def remove_item(actor: Actor, item: StandardItem) -> None:
    """Remove an item from a draft standard. The row is really deleted: a draft's item is no
    record yet (nothing has been scored against it, and a frozen standard's items can never be
    removed), and the audit entry keeps what it was."""
    require(actor, "oversight.manage")
    s = _lock_draft(item.standard)
    current = StandardItem.objects.filter(pk=item.pk, standard=s).first()
    if current is None:
        raise DomainError(_("考核项目不属于该标准。"))
    if s.items.count() <= 1:
        raise DomainError(_("标准至少要有一个考核项目。"))
    before = snapshot(current)
    current.delete()
    _renumber(s, list(s.items.order_by("position")))
    _check_total(s)
    log_action(actor, s, "oversight.standard.item_removed", before=before)
