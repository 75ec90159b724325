"""The points the platform computes for a re-review's ``COMPUTED`` items, over the review's
year, for many titles at once (a constant number of queries per batch of
``BATCH`` collectives, whatever the size of the log).

The formulas, each giving at most the item's points, rounded half up to two decimals:

- **创建日志按月填写** (``creation_compliance``): the share of the counted months in which the
  collective logged at least one creation entry with evidence, times the item's points.
- **每月开放周** (``open_weeks``): the share of the counted months with at least
  ``open_weeks_min_per_month`` open weeks with evidence (the creation tallies), times the
  points.
- The *counted months* are the months of the year that have ended by ``today`` and do not
  begin before the month the title was awarded. With none (a review opened in the title's
  first month, or in January of its own year) both items give full points: nothing was due.
- **年度属实投诉** (``upheld_complaints``): full points, less ``UPHELD_DEDUCTION`` of the item's
  points for every complaint received in the year and upheld; never below 0.
- **年度群众评分** (``ratings``): the average rating of the year (1–5 stars) as a share of five
  stars, times the points. A year without any rating gives full points: no rating is no
  evidence of poor service, and a collective should not lose points because nobody rated it.
- **号长轮训覆盖率** (``leader_training``): the share of the required leaders of the
  collective's managing body trained in the year's cycle (``training.selectors``: the newest
  opened cycle registering by that year), times the points: the body answers for training its
  leaders, so every title of a body shares its score. A body with no leader to train, or a
  year without a cycle, gives full points: nothing was due.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.creation.models import CreationTally, LogEntry
from qnwmh.creation.tallies import month_key
from qnwmh.oversight.models import Metric, Source, Standard, StandardItem
from qnwmh.programme.models import ProgrammeRules
from qnwmh.supervision.selectors import public_appraisal
from qnwmh.training.selectors import coverage_by_body, cycle_for_year

# Each upheld complaint takes away a third of the item's points: three clear it.
UPHELD_DEDUCTION = Fraction(1, 3)
BATCH = 5_000  # ids per IN (...) list, under SQLite's variable limit

Scores = dict[int, dict[int, tuple[Decimal, str]]]


def points(share: Fraction | float, full: int) -> Decimal:
    """``share`` of ``full`` points, within [0, full], rounded half up to 0.01."""
    value = Decimal(float(max(Fraction(0), min(Fraction(1), Fraction(share))) * full))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def counted_months(
    year: int, awarded_on: datetime.date, today: datetime.date
) -> list[datetime.date]:
    """The first days of the year's months that have ended by ``today`` and begin no earlier
    than the month of ``awarded_on``."""
    first = awarded_on.replace(day=1)
    current = today.replace(day=1)
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    return [m for m in months if first <= m < current]


def month_share(
    counts: dict[str, int], months: Sequence[datetime.date], minimum: int
) -> tuple[Fraction, int]:
    """(share of ``months`` with at least ``minimum``, how many), 1 when there are none."""
    if not months:
        return Fraction(1), 0
    met = sum(1 for m in months if counts.get(month_key(m), 0) >= minimum)
    return Fraction(met, len(months)), met


def upheld_points(full: int, upheld: int) -> Decimal:
    return points(1 - UPHELD_DEDUCTION * upheld, full)


def rating_points(full: int, average: float | None) -> Decimal:
    if average is None:
        return Decimal(full).quantize(Decimal("0.01"))
    return points(Fraction(average).limit_denominator(1000) / 5, full)


# Gathering the year's facts, one batch at a time -------------------------------------------------


# Collective ids as a list (sent in batches), or a query of them (one subquery in SQL: opening
# a campaign passes its whole population so that no id list is prepared at all).
Ids = list[int] | QuerySet[Any, int]


def _chunks(ids: Ids) -> Iterable[Any]:
    if isinstance(ids, QuerySet):
        yield ids
        return
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def _logged_months(ids: Ids, year: int) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for chunk in _chunks(ids):
        rows = (
            LogEntry.objects.filter(
                collective_id__in=chunk, occurred_on__year=year, evidence_count__gt=0
            )
            .annotate(month=TruncMonth("occurred_on"))
            .values("collective_id", "month")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            out[row["collective_id"]][month_key(row["month"])] = row["n"]
    return out


def _open_weeks(ids: Ids, year: int) -> dict[int, dict[str, int]]:
    """Open weeks with evidence per month of ``year``, summed over the tallies of every cycle
    (a titled collective's months after a cycle ends belong to that cycle's tally)."""
    prefix = f"{year}-"
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for chunk in _chunks(ids):
        for cid, weeks in CreationTally.objects.filter(collective_id__in=chunk).values_list(
            "collective_id", "open_weeks"
        ):
            for key, n in (weeks or {}).items():
                if key.startswith(prefix):
                    out[cid][key] += int(n)
    return out


def _appraisal(ids: Ids, year: int) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for chunk in _chunks(ids):
        out.update(public_appraisal(chunk, start, end))
    return out


def _training(ids: Ids, year: int) -> dict[str, Any]:
    """Each collective's body, and (required, trained) of those bodies in the year's cycle."""
    from qnwmh.collectives.models import Collective

    body_of: dict[int, int] = {}
    for chunk in _chunks(ids):
        body_of.update(Collective.objects.filter(id__in=chunk).values_list("id", "body_id"))
    cycle = cycle_for_year(year)
    counts = coverage_by_body(cycle, set(body_of.values())) if cycle else {}
    return {"body_of": body_of, "counts": counts}


def _key(item: StandardItem, title: Any, facts: dict[str, Any]) -> tuple[Any, ...]:
    """The facts one item's score depends on, as a hashable key: titles with the same facts
    share one computed (points, detail), so 100,000 titles cost a few hundred formulas."""
    cid = title.collective_id
    if item.metric in (Metric.CREATION_COMPLIANCE, Metric.OPEN_WEEKS):
        first = title.awarded_on.replace(day=1)
        months = facts["months"].get(first)
        if months is None:
            months = facts["months"][first] = counted_months(facts["year"], first, facts["today"])
        if item.metric == Metric.CREATION_COMPLIANCE:
            met = month_share(facts["logged"].get(cid, {}), months, 1)[1]
        else:
            met = month_share(facts["weeks"].get(cid, {}), months, facts["minimum"])[1]
        return (item.metric, item.points, met, len(months))
    if item.metric == Metric.LEADER_TRAINING:
        body = facts["training"]["body_of"].get(cid)
        required, trained = facts["training"]["counts"].get(body, (0, 0))
        return (item.metric, item.points, trained, required)
    row = facts["appraisal"].get(cid, {})
    if item.metric == Metric.UPHELD_COMPLAINTS:
        return (item.metric, item.points, int(row.get("upheld", 0)))
    return (item.metric, item.points, row.get("rating_avg"), row.get("ratings", 0))


def _render(key: tuple[Any, ...]) -> tuple[Decimal, str]:
    metric, full = key[0], key[1]
    if metric in (Metric.CREATION_COMPLIANCE, Metric.OPEN_WEEKS):
        met, n = key[2], key[3]
        if not n:
            return points(1, full), _("本年度尚无应考核的月份，按满分计")
        if metric == Metric.CREATION_COMPLIANCE:
            detail = _("%(met)s/%(n)s 个月已填写") % {"met": met, "n": n}
        else:
            detail = _("%(met)s/%(n)s 个月达到开放周要求") % {"met": met, "n": n}
        return points(Fraction(met, n), full), detail
    if metric == Metric.LEADER_TRAINING:
        trained, required = key[2], key[3]
        if not required:
            return points(1, full), _("本机构本周期无应训号长，按满分计")
        detail = _("本机构号长轮训 %(t)s/%(r)s 人") % {"t": trained, "r": required}
        return points(Fraction(trained, required), full), detail
    if metric == Metric.UPHELD_COMPLAINTS:
        return upheld_points(full, key[2]), _("属实投诉 %(n)s 件") % {"n": key[2]}
    average, count = key[2], key[3]
    if average is None:
        return rating_points(full, None), _("本年度无评分，按满分计")
    detail = _("平均 %(avg)s 星（%(n)s 条）") % {"avg": average, "n": count}
    return rating_points(full, average), detail


def _score(item: StandardItem, title: Any, facts: dict[str, Any]) -> tuple[Decimal, str]:
    key = _key(item, title, facts)
    done = facts["done"].get(key)
    if done is None:
        done = facts["done"][key] = _render(key)
    return done


def computed_scores(
    standard: Standard,
    titles: Sequence[Any],
    year: int,
    *,
    today: datetime.date | None = None,
    items: Sequence[StandardItem] | None = None,
    collectives: QuerySet[Any, int] | None = None,
) -> Scores:
    """``{title_id: {item_id: (points, detail)}}`` for the standard's computed items. Each
    title needs ``id``, ``collective_id`` and ``awarded_on``. ``collectives``, a query of the
    titles' collective ids, replaces the id lists in SQL (for a whole population)."""
    today = today or timezone.localdate()
    if items is None:
        items = list(standard.items.filter(source=Source.COMPUTED))
    computed = [i for i in items if i.source == Source.COMPUTED]
    if not computed or not titles:
        return {t.id: {} for t in titles}
    ids: Ids = sorted({t.collective_id for t in titles}) if collectives is None else collectives
    metrics = {i.metric for i in computed}
    facts: dict[str, Any] = {
        "logged": _logged_months(ids, year) if Metric.CREATION_COMPLIANCE in metrics else {},
        "weeks": _open_weeks(ids, year) if Metric.OPEN_WEEKS in metrics else {},
        "appraisal": _appraisal(ids, year)
        if metrics & {Metric.UPHELD_COMPLAINTS, Metric.RATINGS}
        else {},
        "training": _training(ids, year) if Metric.LEADER_TRAINING in metrics else {},
        "minimum": int(ProgrammeRules.current().open_weeks_min_per_month),
        "year": year,
        "today": today,
        "months": {},
        "done": {},
    }
    return {t.id: {i.id: _score(i, t, facts) for i in computed} for t in titles}


def as_json(scores: dict[int, tuple[Decimal, str]]) -> dict[str, dict[str, str]]:
    """The stored form of one title's computed scores (``ReviewCase.computed_scores``)."""
    return {str(k): {"points": str(p), "detail": d} for k, (p, d) in scores.items()}
