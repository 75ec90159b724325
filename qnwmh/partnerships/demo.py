"""Demo: one joint creation project of two titled collectives of one body (proposed by the
body, confirmed by the city, its first milestone done) and one mentor pair — a titled
collective mentoring one registered in the current cycle — with an activity held last week,
recorded in both creation logs with a photo."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count

from qnwmh.access.actor import actor_for
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.creation.demo import photo
from qnwmh.creation.selectors import current_cycle
from qnwmh.partnerships import services
from qnwmh.partnerships.selectors import registered_collectives, titled_collectives

DAY = datetime.timedelta(days=1)


def _proposer(ctx: DemoContext, body_id: int, city: Actor) -> Actor:
    """The demo body admin of ``body_id`` when there is one, else the city."""
    for user in ctx.users.values():
        actor = actor_for(user, "127.0.0.1")
        if actor.is_body_admin and body_id in actor.body_ids and not actor.is_city_admin:
            return actor
    return city


def _admin_bodies(ctx: DemoContext) -> set[int]:
    """Bodies a demo account administers: their projects are proposed by a body, as in life."""
    ids: set[int] = set()
    for user in ctx.users.values():
        actor = actor_for(user)
        if not actor.is_city_admin:
            ids |= actor.body_ids
    return ids


def _two_titled_of_one_body(preferred: set[int]) -> list[Collective]:
    titled = titled_collectives()
    bodies = [
        row["body_id"]
        for row in titled.order_by().values("body_id").annotate(n=Count("id")).filter(n__gte=2)
    ]
    if not bodies:
        return []
    body_id = min(bodies, key=lambda b: (b not in preferred, b))
    return list(titled.filter(body_id=body_id)[:2])


def build(ctx: DemoContext) -> None:
    city_user = ctx.users.get("city_admin")
    if city_user is None:
        return
    city = actor_for(city_user, "127.0.0.1")
    _joint(ctx, city)
    _pair(ctx, city)


def _joint(ctx: DemoContext, city: Actor) -> None:
    partners = _two_titled_of_one_body(_admin_bodies(ctx))
    if len(partners) < 2:
        return
    today = ctx.today
    body = _proposer(ctx, partners[0].body_id, city)
    project = services.joint_propose(
        body,
        name="便民服务“同城通办”号号联创",
        goal="两个青年文明号集体统一窗口服务标准，互派骨干跟岗，年内联合开展一次岗位练兵。",
        partners=partners,
        milestones=[
            ("联合制定窗口服务标准", today - 20 * DAY),
            ("互派青年骨干跟岗学习", today + 30 * DAY),
            ("联合岗位练兵与成果展示", today + 90 * DAY),
        ],
    )
    services.joint_confirm(city, project)
    first = project.milestones.get(number=1)
    services.milestone_done(
        body, project, first, done_on=today - 22 * DAY, note="《窗口服务标准（联创版）》已印发。"
    )


def _pair(ctx: DemoContext, city: Actor) -> None:
    cycle = current_cycle()
    if cycle is None:
        return
    mentors = list(titled_collectives())
    titled_ids = {c.pk for c in mentors}
    preferred = _admin_bodies(ctx)
    candidates = [
        c
        for c in registered_collectives(cycle)[:200]
        if c.pk not in titled_ids and any(m.body_id == c.body_id for m in mentors)
    ]
    if not candidates:
        return
    mentee = min(candidates, key=lambda c: (c.body_id not in preferred, c.sort_key, c.pk))
    mentor = next(m for m in mentors if m.body_id == mentee.body_id)
    body = _proposer(ctx, mentee.body_id, city)
    pair: Any = services.pair_propose(
        body,
        mentor=mentor,
        mentee=mentee,
        plan="每季度组织一次跟岗学习；共同开展一次志愿服务；导师集体指导制定创建计划。",
    )
    services.pair_confirm(city, pair)
    held = max(ctx.today - 7 * DAY, cycle.registration_opens_on)
    services.activity_record(
        body,
        pair,
        name="跟岗学习：窗口服务规范",
        occurred_on=held,
        place=mentor.name,
        participants=16,
        description="创建集体青年骨干到导师集体跟岗一天，学习首问负责、一次告知等服务规范。",
        photos=[photo(ctx, "新老结对跟岗学习", held)],
    )
