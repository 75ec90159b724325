"""Demo data for certification: scoring. On the round in review that the applications and
reviewers demos built: most accepted assignments' site sheets submitted (one application
scored far apart, so the divergence flag shows), some defence sheets, one sheet reopened by
its panel chair, a defence session drawn by lot, and the round aggregated."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.certification.models import (
    Assignment,
    AssignmentStatus,
    CertificationRound,
    Panel,
    RoundStatus,
    ScoreSet,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.certification.services import aggregation, defence, scoring
from qnwmh.core.demo_context import DemoContext
from qnwmh.notices.services import city_admins
from qnwmh.programme.models import Dimension

COMMENTS = ["台账规范，特色鲜明。", "服务流程清晰，群众评价较好。", "团建工作有待加强。"]


def _scores(ctx: DemoContext, low: int, high: int) -> dict[str, dict[str, str]]:
    return {
        d: {"points": str(ctx.rng.randint(low, high)), "comment": ctx.rng.choice(COMMENTS)}
        for d in Dimension.values
    }


def _submit(ctx: DemoContext, a: Assignment, score_set: str, low: int, high: int) -> ScoreSheet:
    return scoring.save_sheet(
        actor_for(a.reviewer.user),
        assignment=a,
        score_set=score_set,
        scores=_scores(ctx, low, high),
        submit=True,
    )


def _score(ctx: DemoContext, r: CertificationRound) -> list[ScoreSheet]:
    accepted = list(
        Assignment.objects.filter(application__round=r, status=AssignmentStatus.ACCEPTED)
        .select_related("application", "reviewer__user")
        .order_by("application_id", "id")
    )
    # Leave the last fifth unscored: reviewers still at work.
    scored = accepted[: max(1, len(accepted) * 4 // 5)] if accepted else []
    sheets = []
    harsh_app = scored[0].application_id if scored else None
    for n, a in enumerate(scored):
        harsh = a.application_id == harsh_app and n == 0
        low, high = (55, 65) if harsh else (75, 95)
        sheets.append(_submit(ctx, a, ScoreSet.SITE, low, high))
        if n % 2 == 0:
            sheets.append(_submit(ctx, a, ScoreSet.DEFENCE, 70, 95))
    return sheets


def _reopen_one(sheets: list[ScoreSheet], r: CertificationRound) -> None:
    for sheet in sheets:
        panel = Panel.objects.filter(round=r, area_id=sheet.application.area_id).first()
        chair = panel.chair if panel else None
        if chair is not None and chair.pk != sheet.reviewer_id:
            sheet.refresh_from_db()
            if sheet.status == SheetStatus.SUBMITTED:
                scoring.reopen_sheet(
                    actor_for(chair.user),
                    sheet=sheet,
                    reason="“工作业绩”评分与佐证材料不符，请复核。",
                )
                return


def _defence(ctx: DemoContext, r: CertificationRound, city: Any) -> None:
    for panel in Panel.objects.filter(round=r).order_by("id"):
        if defence.unscheduled(panel):
            starts = timezone.make_aware(
                datetime.datetime.combine(r.defence_from, datetime.time(9, 0))
            )
            session = defence.create_session(
                city, panel=panel, starts_at=starts, venue="中山市青少年活动中心报告厅"
            )
            defence.draw_session(city, session=session, seed=ctx.seed)
            return


def build(ctx: DemoContext) -> None:
    r = CertificationRound.objects.filter(status=RoundStatus.REVIEW).order_by("id").first()
    admins = city_admins()
    if r is None or not admins:
        return
    city = actor_for(admins[0])
    sheets = _score(ctx, r)
    _reopen_one(sheets, r)
    _defence(ctx, r, city)
    aggregation.aggregate_round(city, cert_round=r)
