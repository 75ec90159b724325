"""Each application's aggregate per score set, the combined score and the divergence flag.

Set-based: one query reads every submitted sheet's (application, reviewer, set, total) of
the round, the arithmetic runs in memory, one bulk upsert writes ``ApplicationResult``. At
5,000 applications × 5 reviewers × 2 sets that is 50,000 small tuples (see bench/).

Methods (the cycle's ``score_aggregation``):
- mean: the arithmetic mean of the reviewers' totals;
- trimmed_mean: drop ``trim_each_side`` highest and lowest totals first (all kept when too
  few sheets remain to trim);
- zscore: each total becomes the reviewer's z-score within the set over the round (a harsh
  or lenient reviewer counts as average), the application's mean z is mapped back onto the
  set's overall mean and spread, so the figure stays on the 0–100 scale.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, StdDev
from django.utils import timezone

from qnwmh.audit.services import log_action
from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationResult,
    CertificationRound,
    ScoreSet,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.programme.models import Aggregation

TWO_PLACES = Decimal("0.01")
# (application id, reviewer id, total) of one score set
Mark = tuple[int, int, Decimal]


@dataclass(frozen=True)
class Settings:
    method: str
    trim_each_side: int
    site_weight_pct: int
    divergence_max_points: int

    @classmethod
    def of(cls, r: CertificationRound) -> Settings:
        rule = r.cycle.rule
        return cls(
            method=str(rule("score_aggregation")),
            trim_each_side=int(rule("trim_each_side")),
            site_weight_pct=int(rule("site_weight_pct")),
            divergence_max_points=int(rule("divergence_max_points")),
        )


def _q(value: Decimal | float) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(totals: list[Decimal]) -> Decimal:
    return _q(sum(totals, Decimal(0)) / len(totals))


def trimmed_mean(totals: list[Decimal], k: int) -> Decimal:
    ordered = sorted(totals)
    if k > 0 and len(ordered) > 2 * k:
        ordered = ordered[k:-k]
    return mean(ordered)


def zscores(marks: Iterable[Mark]) -> dict[int, Decimal]:
    """Per application, the mean of its reviewers' z-scores, rescaled to the set's scale."""
    marks = list(marks)
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    for _app, reviewer, total in marks:
        by_reviewer[reviewer].append(float(total))
    stats = {r: (statistics.fmean(v), statistics.pstdev(v)) for r, v in by_reviewer.items()}
    every = [float(t) for _a, _r, t in marks]
    centre, spread = statistics.fmean(every), statistics.pstdev(every)
    by_app: dict[int, list[float]] = defaultdict(list)
    for app, reviewer, total in marks:
        mu, sd = stats[reviewer]
        by_app[app].append((float(total) - mu) / sd if sd else 0.0)
    return {
        app: _q(min(100.0, max(0.0, centre + spread * statistics.fmean(zs))))
        for app, zs in by_app.items()
    }


def set_scores(marks: list[Mark], s: Settings) -> dict[int, Decimal]:
    """The score of each application in one set under the rules' method."""
    if s.method == Aggregation.ZSCORE:
        return zscores(marks) if marks else {}
    by_app: dict[int, list[Decimal]] = defaultdict(list)
    for app, _reviewer, total in marks:
        by_app[app].append(total)
    if s.method == Aggregation.TRIMMED_MEAN:
        return {app: trimmed_mean(t, s.trim_each_side) for app, t in by_app.items()}
    return {app: mean(t) for app, t in by_app.items()}


def combined(site: Decimal | None, defence: Decimal | None, pct: int) -> Decimal | None:
    """site × pct + defence × (100 − pct); only when every set that weighs is scored."""
    if pct >= 100:
        return site
    if pct <= 0:
        return defence
    if site is None or defence is None:
        return None
    return _q((site * pct + defence * (100 - pct)) / 100)


def _marks(r: CertificationRound, app_ids: list[int] | None) -> dict[str, list[Mark]]:
    # Sheets of cancelled assignments (a conflict declared after scoring) do not count.
    sheets = ScoreSheet.objects.filter(
        application__round=r,
        status=SheetStatus.SUBMITTED,
        assignment__status__in=LIVE_ASSIGNMENT_STATUSES,
    )
    if app_ids is not None:
        sheets = sheets.filter(application_id__in=app_ids)
    out: dict[str, list[Mark]] = {ScoreSet.SITE: [], ScoreSet.DEFENCE: []}
    for app, reviewer, score_set, total in sheets.values_list(
        "application_id", "reviewer_id", "score_set", "total"
    ).iterator(chunk_size=5000):
        if total is not None:  # a submitted sheet always has one; kept for the type
            out[score_set].append((app, reviewer, total))
    return out


def _results(
    r: CertificationRound, marks: dict[str, list[Mark]], app_ids: Iterable[int], s: Settings
) -> list[ApplicationResult]:
    site = set_scores(marks[ScoreSet.SITE], s)
    defence = set_scores(marks[ScoreSet.DEFENCE], s)
    totals: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    for score_set, rows in marks.items():
        for app, _reviewer, total in rows:
            totals[(score_set, app)].append(total)
    now = timezone.now()
    results = []
    for app in app_ids:
        spreads = [
            max(t) - min(t)
            for t in (totals.get((ScoreSet.SITE, app)), totals.get((ScoreSet.DEFENCE, app)))
            if t
        ]
        spread = max(spreads) if spreads else None
        results.append(
            ApplicationResult(
                application_id=app,
                site_score=site.get(app),
                defence_score=defence.get(app),
                combined=combined(site.get(app), defence.get(app), s.site_weight_pct),
                method=s.method,
                site_sheets=len(totals.get((ScoreSet.SITE, app), ())),
                defence_sheets=len(totals.get((ScoreSet.DEFENCE, app), ())),
                spread=spread,
                divergent=spread is not None and spread > s.divergence_max_points,
                computed_at=now,
            )
        )
    return results


def _upsert(results: list[ApplicationResult]) -> None:
    ApplicationResult.objects.bulk_create(
        results,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["application"],
        update_fields=[
            "site_score",
            "defence_score",
            "combined",
            "method",
            "site_sheets",
            "defence_sheets",
            "spread",
            "divergent",
            "computed_at",
        ],
    )


def compute_round(r: CertificationRound) -> int:
    """Recompute every application of the round that has sheets or a result; returns how many."""
    s = Settings.of(r)
    marks = _marks(r, None)
    app_ids = {app for rows in marks.values() for app, _r, _t in rows}
    app_ids |= set(
        ApplicationResult.objects.filter(application__round=r).values_list(
            "application_id", flat=True
        )
    )
    results = _results(r, marks, sorted(app_ids), s)
    _upsert(results)
    return len(results)


def recompute_application(app: Application) -> None:
    """After a sheet of ``app`` is submitted or reopened: only ``app`` is written. Under
    z-scores the statistics of its reviewers and of the set come from the whole round, read
    as SQL aggregates (the other applications follow at the round's next aggregation)."""
    # Two reviewers submitting at once: each recompute waits for the other's commit, so the
    # last one written has read both sheets (READ COMMITTED reads anew per statement).
    lock(Application, app.pk)
    r = app.round
    s = Settings.of(r)
    marks = _marks(r, [app.pk])
    results = _results(r, marks, [app.pk], s)
    if s.method == Aggregation.ZSCORE:
        result = results[0]
        result.site_score = _zscore_of(r, app.pk, marks[ScoreSet.SITE], ScoreSet.SITE)
        result.defence_score = _zscore_of(r, app.pk, marks[ScoreSet.DEFENCE], ScoreSet.DEFENCE)
        result.combined = combined(result.site_score, result.defence_score, s.site_weight_pct)
    _upsert(results)


def _zscore_of(
    r: CertificationRound, app_id: int, own: list[Mark], score_set: str
) -> Decimal | None:
    """``zscores`` for one application, its reviewers' and the set's mean and spread summed
    up by the database (two aggregate queries instead of reading every sheet)."""
    if not own:
        return None
    sheets = ScoreSheet.objects.filter(
        application__round=r,
        score_set=score_set,
        status=SheetStatus.SUBMITTED,
        assignment__status__in=LIVE_ASSIGNMENT_STATUSES,
    )
    pool = sheets.aggregate(mu=Avg("total"), sd=StdDev("total"))
    stats = {
        row["reviewer_id"]: (float(row["mu"]), float(row["sd"] or 0))
        for row in sheets.filter(reviewer_id__in=[rv for _a, rv, _t in own])
        .values("reviewer_id")
        .order_by()
        .annotate(mu=Avg("total"), sd=StdDev("total"))
    }
    zs = [(float(t) - stats[rv][0]) / stats[rv][1] if stats[rv][1] else 0.0 for _a, rv, t in own]
    centre, spread = float(pool["mu"]), float(pool["sd"] or 0)
    return _q(min(100.0, max(0.0, centre + spread * statistics.fmean(zs))))


def aggregate_round(actor: Actor, *, cert_round: CertificationRound) -> int:
    """The city's "aggregate" action: recompute the round's results, audited."""
    require(actor, "certification.aggregate")
    with transaction.atomic():
        count = compute_round(cert_round)
        log_action(actor, cert_round, "certification.round.aggregated", data={"results": count})
    return count
