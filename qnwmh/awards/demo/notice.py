"""Demo data of the notice part, on the earlier cycle's frozen shortlist
(``ctx.extra["awards_shortlist"]``, from the ranking part): inspections of the listed
collectives (one failed and removed, the body's next reserve moved up and inspected), an
ended notice with a supplementary one for the moved-up collective, and two objections with
published outcomes — one upheld (the collective removed), one not upheld. Everything goes
through the services, dated in the past as it happened."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.awards.models import EntryStatus, InspectionOutcome, ObjectionOutcome, Shortlist
from qnwmh.awards.services import entries
from qnwmh.awards.services import notice as services
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext

INSPECTORS = "团市委青年发展部 陈晓、团市委组织部 林静"
CONTACT = "团市委青年发展部 0760-88318315"
INTRO = (
    "经组织推荐、评审和实地考察，现将以下集体作为青年文明号拟认定对象予以公示。"
    "公示期内，如有异议，请实名提出，并写明具体事实。"
)


def build(ctx: DemoContext) -> None:
    shortlist: Shortlist | None = ctx.extra.get("awards_shortlist")
    if shortlist is None:
        return
    city = actor_for(ctx.users["city_admin"], "127.0.0.1")
    start = _start(ctx, shortlist)
    _inspect_all(city, shortlist, start, fail_first=True)
    notice = _publish(city, shortlist, start + datetime.timedelta(days=10), "拟认定名单公示")
    _objections(notice, start + datetime.timedelta(days=12))
    _decide(city, notice, ctx.users["city_admin"])
    _move_up_and_notice(ctx, city, shortlist, start + datetime.timedelta(days=20))
    ctx.extra["awards_notice"] = notice


def _start(ctx: DemoContext, shortlist: Shortlist) -> datetime.date:
    """A few days after the freeze, early enough that both notices have ended by today."""
    frozen = timezone.localdate(shortlist.frozen_at)
    latest = ctx.today - datetime.timedelta(days=40)
    return min(frozen + datetime.timedelta(days=3), latest)


def _inspect_all(
    city: Actor, shortlist: Shortlist, day: datetime.date, *, fail_first: bool = False
) -> None:
    listed = shortlist.entries.filter(status=EntryStatus.LISTED, inspection__isnull=True)
    for i, entry in enumerate(listed.order_by("city_position").select_related("collective")):
        failed = fail_first and i == 0
        services.inspection_record(
            city,
            entry=entry,
            visited_on=day,
            inspectors=INSPECTORS,
            findings="查阅创建台账，走访服务窗口，听取服务对象意见。"
            + ("台账记录与实际开展情况不符。" if failed else "创建工作扎实，群众评价良好。"),
            outcome=InspectionOutcome.FAILED if failed else InspectionOutcome.PASSED,
            reason="创建台账多项活动无实际开展记录。" if failed else "",
        )


def _publish(city: Actor, shortlist: Shortlist, day: datetime.date, title: str) -> Any:
    chosen = services.publishable_entries(shortlist).select_related("application")
    return services.notice_publish(
        city,
        shortlist=shortlist,
        heading=f"{shortlist.round}{title}",
        intro=INTRO,
        contact=CONTACT,
        summaries={
            e.pk: (
                e.application.statement[:200]
                or f"{e.collective.name}坚持以青年文明号创建提升服务。"
            )
            for e in chosen
        },
        opens_on=day,
        today=day,
    )


def _objections(notice: Any, day: datetime.date) -> None:
    items = list(notice.items.order_by("position")[:3])
    if len(items) < 3:
        return
    public = Actor(user=None, ip="203.0.113.20")
    services.objection_file(
        public,
        item=items[1],
        contact_name="刘建华",
        contact_phone="13926088123",
        text="该集体负责人今年因违规收费被通报批评，不宜认定为青年文明号。",
        today=day,
    )
    services.objection_file(
        public,
        item=items[2],
        contact_name="黄小敏",
        contact_phone="13702566789",
        text="上月去办事排队很久，窗口只开了一个。",
        today=day,
    )


def _decide(city: Actor, notice: Any, handler: Any) -> None:
    upheld, not_upheld = sorted(
        (o for item in notice.items.all() for o in item.objections.all()),
        key=lambda o: o.item.position,
    )
    services.objection_assign(city, objection=upheld, handler=handler)
    services.objection_decide(
        city,
        objection=upheld,
        outcome=ObjectionOutcome.UPHELD,
        findings="经调阅通报文件并约谈所在单位，情况属实。",
        public_reason="经核查，该集体负责人年内受到通报批评，反映问题属实，不予认定。",
    )
    services.objection_decide(
        city,
        objection=not_upheld,
        outcome=ObjectionOutcome.NOT_UPHELD,
        findings="调取排队记录，当日为月初高峰，已增开窗口，属偶发情况。",
        public_reason="经核查，所反映情况为业务高峰期偶发排队，不影响认定。",
    )


def _move_up_and_notice(
    ctx: DemoContext, city: Actor, shortlist: Shortlist, day: datetime.date
) -> None:
    """The body whose entry failed inspection moves up its next reserve, which is inspected
    and goes on a supplementary notice (ended too)."""
    removed = shortlist.entries.filter(removal_kind="inspection").first()
    if removed is None:
        return
    reserve = (
        shortlist.entries.filter(body_id=removed.body_id, status=EntryStatus.RESERVE)
        .order_by("body_position")
        .first()
    )
    if reserve is None:
        return
    entries.move_up(city, reserve, reason="原拟认定集体考察未通过，按排名递补。")
    _inspect_all(city, shortlist, day - datetime.timedelta(days=2))
    _publish(city, shortlist, day, "拟认定名单补充公示")
