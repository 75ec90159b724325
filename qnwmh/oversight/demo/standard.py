"""Demo data of the standard part: last year's standard (the platform's defaults), this
year's (last year's with one more item and a stricter pass mark) — the review demo opens a
campaign on each, which freezes them — and next year's, copied from this year's and still a
draft for the city to edit. Through the service, as the city's clerk."""

from __future__ import annotations

from qnwmh.access.actor import actor_for
from qnwmh.core.demo_context import DemoContext
from qnwmh.oversight.models import Metric, Source
from qnwmh.oversight.services import standard as services


def build(ctx: DemoContext) -> None:
    city = ctx.users.get("city_admin")
    if city is None:
        return
    actor = actor_for(city)
    last = services.create(
        actor,
        year=ctx.today.year - 1,
        note="依据《中山市青年文明号动态管理办法》，按集体自评、团委评价和平台计算三部分计分。",
    )
    ctx.extra["oversight_standard_last"] = last
    this = services.create(actor, year=ctx.today.year, based_on=last)
    services.update_item(
        actor,
        this.items.get(source=Source.COMPUTED, metric=Metric.UPHELD_COMPLAINTS),
        guidance="每件属实投诉扣本项分值的三分之一，扣完为止。",
    )
    services.add_item(
        actor,
        this,
        label="志愿服务与社会责任",
        points=5,
        source=Source.BODY,
        guidance="参加志愿服务、结对帮扶等情况。",
    )
    services.update(actor, this, pass_mark=85, warning_mark=75, star_down_mark=65)
    ctx.extra["oversight_standard_this"] = this
    ctx.extra["oversight_standard_next"] = services.create(
        actor, year=ctx.today.year + 1, based_on=this, note="征求意见稿：待年度复核结束后修订。"
    )
