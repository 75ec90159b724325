"""Demo data for nominations upward: last year's provincial round, its deadline passed, with
three city titles sent up — one granted (the provincial title recorded, the city title kept
and exempt from re-review), one not granted, one still awaiting the province — and this
year's round open, so the city has eligible titles to nominate. Everything goes through the
services as the city's clerk (last year's acts replayed on their dates)."""

from __future__ import annotations

import datetime

from qnwmh.access.actor import actor_for
from qnwmh.awards.models import NominationRound
from qnwmh.awards.selectors.nomination import eligible_titles
from qnwmh.awards.services import nomination as services
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext

MANAGER_COLLECTIVE = "石岐街道便民服务中心青年服务窗口"
RECOMMENDATIONS = [
    "该集体连续多年保持群众满意率 99% 以上，创建特色鲜明，在全市同行业中起示范作用。",
    "该集体以“青年先锋岗”为载体，服务质量和青年成长成效突出。",
    "该集体坚持开放周和岗位练兵，服务承诺落实到位，群众评价良好。",
]


def build(ctx: DemoContext) -> None:
    city = ctx.users.get("city_admin")
    if city is None:
        return
    actor = actor_for(city)
    year = ctx.today.year - 1
    last = services.round_create(
        actor,
        values={
            "year": year,
            "name": f"{year}年度广东省青年文明号推报",
            "quota": 3,
            "deadline": datetime.date(year, 9, 30),
            "basis": f"团省委关于开展{year}年度广东省青年文明号推报工作的通知",
        },
    )
    _replay_last_year(ctx, actor, last, year)
    services.round_create(
        actor,
        values={
            "year": ctx.today.year,
            "name": f"{ctx.today.year}年度广东省青年文明号推报",
            "quota": 4,
            "deadline": ctx.today + datetime.timedelta(days=45),
            "basis": f"团省委关于开展{ctx.today.year}年度广东省青年文明号推报工作的通知",
        },
    )
    ctx.extra["awards_nomination_round"] = last


def _replay_last_year(ctx: DemoContext, actor: Actor, r: NominationRound, year: int) -> None:
    # The demo manager's collective stays out: its pages show the cycle in progress.
    titles = list(
        eligible_titles(r).exclude(collective__name=MANAGER_COLLECTIVE)[: len(RECOMMENDATIONS)]
    )
    nominations = [
        services.nominate(
            actor,
            round=r,
            title=t,
            recommendation=text,
            today=datetime.date(year, 9, 20),
        )
        for t, text in zip(titles, RECOMMENDATIONS, strict=False)
    ]
    if len(nominations) < 2:
        return
    services.record_outcome(
        actor,
        nomination=nominations[0],
        granted=True,
        outcome_on=datetime.date(year, 12, 18),
        note=f"粤青联〔{year}〕58号",
    )
    services.record_outcome(
        actor,
        nomination=nominations[1],
        granted=False,
        outcome_on=datetime.date(year, 12, 18),
        note="全省名额有限，本次未入选，可在下一批次再行推报。",
    )
