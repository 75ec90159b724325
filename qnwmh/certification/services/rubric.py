"""The rubric a score sheet follows and the checks of a sheet's points (shared by the form,
the API and the paper entry, so every path says the same thing about the same mistake)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from qnwmh.certification.models import CertificationRound
from qnwmh.programme.models import Dimension

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    dimension: str
    label: str
    max_points: int
    weight: float


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    # Below this share of a criterion's maximum the reviewer must say why.
    comment_below_pct: int

    def comment_required(self, criterion: Criterion, points: Decimal) -> bool:
        return points * 100 < criterion.max_points * self.comment_below_pct

    def total(self, scores: dict[str, Any]) -> Decimal:
        """Weighted mean of points/max × 100 over the criteria (out of 100)."""
        weights = sum(Decimal(str(c.weight)) for c in self.criteria)
        acc = sum(
            Decimal(str(c.weight)) * Decimal(scores[c.dimension]["points"]) * 100 / c.max_points
            for c in self.criteria
        )
        return (Decimal(acc) / weights).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rubric_of(r: CertificationRound) -> Rubric:
    labels = dict(Dimension.choices)
    rows = {row["dimension"]: row for row in r.cycle.rule("rubric")}
    criteria = tuple(
        Criterion(d, str(labels[d]), int(rows[d]["max_points"]), float(rows[d]["weight"]))
        for d in Dimension.values
        if d in rows
    )
    return Rubric(criteria, int(r.cycle.rule("comment_required_below_pct")))


def parse_points(raw: Any) -> Decimal | None:
    """Points as typed: blank is None; at most one decimal place (half points are common)."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(_("请输入数字。")) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.1")):
        raise ValueError(_("分数最多保留一位小数。"))
    return value


def check_scores(
    rubric: Rubric, raw: dict[str, dict[str, Any]], *, complete: bool
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Clean ``{dimension: {"points", "comment"}}`` against the rubric. Returns the cleaned
    scores and the errors keyed ``<dimension>_points`` / ``<dimension>_comment``. A draft may
    leave points blank; a submitted sheet (``complete``) may not."""
    clean: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for c in rubric.criteria:
        row = raw.get(c.dimension) or {}
        comment = str(row.get("comment") or "").strip()[:1000]
        try:
            points = parse_points(row.get("points"))
        except ValueError as exc:
            errors[f"{c.dimension}_points"] = str(exc)
            continue
        if points is None:
            if complete:
                errors[f"{c.dimension}_points"] = _("请为“%(criterion)s”打分。") % {
                    "criterion": c.label
                }
            clean[c.dimension] = {"points": "", "comment": comment}
            continue
        if not Decimal(0) <= points <= c.max_points:
            errors[f"{c.dimension}_points"] = _(
                "“%(criterion)s”的得分须在 0 至 %(max)s 分之间。"
            ) % {"criterion": c.label, "max": c.max_points}
            continue
        if complete and not comment and rubric.comment_required(c, points):
            errors[f"{c.dimension}_comment"] = _(
                "“%(criterion)s”得分低于满分的 %(pct)s%%，请填写评语。"
            ) % {"criterion": c.label, "pct": rubric.comment_below_pct}
        clean[c.dimension] = {"points": str(points), "comment": comment}
    return clean, errors
