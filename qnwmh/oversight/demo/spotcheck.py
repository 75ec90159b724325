"""Demo data of the spotcheck part, through the services: last year's draw with every visit
recorded and closed (one failed — the sanctions part's demo may follow it up from
``ctx.extra["oversight_failed_visit"]``), and this year's draw with a covert visit planned and
an announced one recorded."""

from __future__ import annotations

import datetime

from qnwmh.access.actor import actor_for
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.core.errors import DomainError
from qnwmh.oversight.models import SpotCheck, Visit, VisitResult
from qnwmh.oversight.services import spotcheck as services

INSPECTORS = "团市委青年发展部 陈晓、区团委 黄敏"
FAILED_ITEMS = {"pledges", "records"}


def build(ctx: DemoContext) -> None:
    user = ctx.users.get("city_admin")
    if user is None:
        return
    city = actor_for(user, "127.0.0.1")
    year = ctx.today.year
    last = _draw(city, year - 1, "demo-last-year")
    if last is not None:
        _finish_last_year(ctx, city, last, datetime.date(year - 1, 11, 12))
    current = _draw(city, year, "demo-this-year")
    if current is not None:
        _this_year(city, current, ctx.today)


def _draw(city: Actor, year: int, seed: str) -> SpotCheck | None:
    try:
        return services.draw_year(city, year=year, seed=seed, note="按年度工作安排开展抽检。")
    except DomainError:  # no city titles in this demo: nothing to draw
        return None


def _findings(failed: bool) -> list[dict[str, object]]:
    return [
        {
            "item": key,
            "ok": not (failed and key in FAILED_ITEMS),
            "note": "服务承诺未上墙，创建台账缺少近三个月记录。"
            if failed and key in FAILED_ITEMS
            else "",
        }
        for key in services.CHECKLIST_KEYS
    ]


def _record(city: Actor, visit: Visit, day: datetime.date, failed: bool) -> None:
    services.record(
        city,
        visit,
        visited_on=day,
        inspectors=INSPECTORS,
        findings=_findings(failed),
        summary="服务承诺未公开，创建台账与实际不符，需整改。" if failed else "各项符合要求。",
        result=VisitResult.FAILED if failed else VisitResult.PASSED,
    )


def _finish_last_year(ctx: DemoContext, city: Actor, check: SpotCheck, day: datetime.date) -> None:
    visits = list(check.visits.select_related("collective").order_by("id"))
    for i, visit in enumerate(visits):
        failed = i == 0
        _record(city, visit, day + datetime.timedelta(days=i % 20), failed)
        closed = services.close(city, visit)
        if failed:
            ctx.extra["oversight_failed_visit"] = closed


def _this_year(city: Actor, check: SpotCheck, today: datetime.date) -> None:
    visits = list(check.visits.select_related("collective").order_by("id")[:2])
    if visits:
        services.plan(city, visits[0], planned_on=today + datetime.timedelta(days=7), covert=True)
    if len(visits) > 1:
        services.plan(city, visits[1], planned_on=today, covert=False)
        _record(city, visits[1], today, failed=False)
