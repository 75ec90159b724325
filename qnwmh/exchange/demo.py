"""Demo of exchange events, through the services: a city exhibition held with attendance,
minutes and photos (closed, so each attending collective's creation log has it), an
experience meeting of the 石岐 body open for registration, and a mutual visit between the
demo manager's collective and another titled collective with both appraisals, closed."""

from __future__ import annotations

import datetime
from typing import Any

from qnwmh.access.actor import actor_for
from qnwmh.collectives.models import Collective, Title, TitleStatus
from qnwmh.core.demo_context import DEMO_ACCOUNTS, DemoContext
from qnwmh.creation.demo import photo
from qnwmh.exchange import services
from qnwmh.exchange.models import Event, EventKind
from qnwmh.orgs.models import Organisation

MINUTES = (
    "一、各青年文明号集体以展板和现场讲解展示创建成果；\n"
    "二、三个集体分享“一次告知”“延时服务”等做法；\n"
    "三、团市委对下一阶段创建工作提出要求。"
)
COMMENTS = {
    "service": "服务流程清晰，首问负责落实到位。",
    "feature": "“暖心窗口”特色鲜明，可推广。",
    "team": "青年员工精神饱满，分工明确。",
    "practice": "预约提醒和一次性告知清单值得借鉴。",
}


def _titled(limit: int) -> list[Collective]:
    ids = Title.objects.filter(status=TitleStatus.ACTIVE).values("collective_id")
    return list(Collective.objects.filter(id__in=ids).select_related("body").order_by("id")[:limit])


def build(ctx: DemoContext) -> None:
    user = ctx.users.get("city_admin")
    if user is None or ctx.city is None:
        return
    city = actor_for(user, "127.0.0.1")
    titled = _titled(6)
    if len(titled) < 3:
        return
    _exhibition(ctx, city, titled)
    _meeting(ctx, titled)
    _mutual_visit(ctx, city, titled)


def _exhibition(ctx: DemoContext, city: Any, titled: list[Collective]) -> None:
    day = ctx.today - datetime.timedelta(days=20)
    event = services.event_create(
        city,
        kind=EventKind.EXHIBITION,
        title=f"{day.year} 年青年文明号创建成果展示会",
        organiser=ctx.city,
        held_on=ctx.today,
        place="中山市青少年活动中心一楼展厅",
        description="各镇街、各系统推荐集体参展，展示创建特色和服务成效。",
        capacity=30,
        invited_bodies=list(Organisation.objects.bodies()),
    )
    services.event_open(city, event)
    for i, c in enumerate(titled[:4]):
        services.register(city, event, collective=c, people=3 + i)
    # Registration closes once the day has passed: register as on the day, then move the
    # event back to when the demo says it was held.
    Event.objects.filter(pk=event.pk).update(held_on=day)
    services.event_hold(city, event)
    services.record_attendance(city, event, attended=[c.id for c in titled[:3]])
    services.record_minutes(
        city,
        event,
        minutes=MINUTES,
        photos=[photo(ctx, "创建成果展示会", day), photo(ctx, "集体现场讲解", day)],
    )
    services.event_close(city, event)
    ctx.extra["exchange_exhibition"] = event


def _meeting(ctx: DemoContext, titled: list[Collective]) -> None:
    user = ctx.users.get("shiqi_admin")
    body = ctx.bodies.get("共青团中山市石岐街道工作委员会")
    if user is None or body is None:
        return
    admin = actor_for(user, "127.0.0.1")
    event = services.event_create(
        admin,
        kind=EventKind.MEETING,
        title="石岐街道青年文明号创建经验交流会",
        organiser=body,
        held_on=ctx.today + datetime.timedelta(days=14),
        place="石岐街道党群服务中心三楼会议室",
        description="围绕“服务群众最后一公里”交流创建经验。",
        capacity=5,
        registration_closes_on=ctx.today + datetime.timedelta(days=7),
        invited_bodies=[body],
    )
    services.event_open(admin, event)
    for c in [c for c in titled if c.body_id == body.id][:2]:
        services.register(admin, event, collective=c, people=2)


def _mutual_visit(ctx: DemoContext, city: Any, titled: list[Collective]) -> None:
    manager = next(a for a in DEMO_ACCOUNTS if a.username == "manager_demo")
    host = Collective.objects.filter(name=manager.organisation).first() or titled[0]
    guest = next(c for c in titled if c.pk != host.pk)
    day = ctx.today - datetime.timedelta(days=10)
    event = services.event_create(
        city,
        kind=EventKind.MUTUAL_VISIT,
        title=f"{host.name}与{guest.name}互访互学",
        organiser=ctx.city,
        held_on=day,
        place=host.name,
        description="参观服务窗口，座谈交流创建做法，双方互评。",
        host=host,
        guest=guest,
    )
    services.event_open(city, event)
    services.event_hold(city, event)
    for side, points in ((host, 5), (guest, 4)):
        services.appraise(
            city,
            event,
            by_collective=side,
            scores={
                key: (points - (i % 2), text) for i, (key, text) in enumerate(COMMENTS.items())
            },
        )
    services.record_attendance(city, event, attended=[host.id, guest.id])
    services.record_minutes(city, event, minutes="双方交流了预约服务和一次性告知的做法。")
    services.event_close(city, event)
    ctx.extra["exchange_mutual_visit"] = event
