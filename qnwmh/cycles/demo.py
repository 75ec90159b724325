"""Demo: the closed 22nd cycle (for the year-on-year town comparison) and the current cycle in
its registration phase, window open today (opened two weeks ago, closes in 45 days), quotas
published, registrations in every state, one town with no non-public collective."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.collectives.models import Collective, Eligibility, Ownership
from qnwmh.core.demo_context import DemoContext
from qnwmh.cycles.models import (
    BodySubmission,
    Cycle,
    Phase,
    Quota,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.notices import cycle_msg
from qnwmh.cycles.services import _compute_quotas
from qnwmh.notices.services import notify
from qnwmh.programme.models import ProgrammeRules

PLAN = (
    "以“岗位练兵+开放周”为主要载体，每季度开展一次岗位练兵，每月举办开放周活动；"
    "建立创建日志和标准台帐，年内服务满意度达到 98% 以上。"
)
GROUP = "单位负责人 组长\n号长 副组长\n团支部书记 成员"
PLEDGE = "亮形象、亮身份、亮承诺，热情服务，接受社会监督。"
# The town left without a non-public registration in the current cycle.
NO_NON_PUBLIC_TOWN = "神湾镇"


def _dates(ctx: DemoContext) -> dict[str, Any]:
    closes = ctx.today + datetime.timedelta(days=45)
    reg_year = closes.year if closes.year % 2 else closes.year + 1
    return {
        "registration_year": reg_year,
        "certification_year": reg_year + 1,
        "registration_opens_on": ctx.today - datetime.timedelta(days=14),
        "registration_closes_on": closes,
        "creation_ends_on": datetime.date(reg_year + 1, 4, 30),
        "certification_starts_on": datetime.date(reg_year + 1, 5, 1),
        "certification_ends_on": datetime.date(reg_year + 1, 6, 30),
    }


def _reg(
    cycle: Cycle, c: Collective, n: int, status: str, when: datetime.datetime, **extra: Any
) -> Registration:
    return Registration(
        cycle=cycle,
        collective=c,
        body_id=c.body_id,
        town_id=c.town_id,
        ownership=c.ownership,
        number=f"{cycle.session_no}-{n:04d}",
        status=status,
        plan_summary=PLAN,
        leader_name="号长",
        leading_group=GROUP,
        pledge=PLEDGE,
        eligibility=c.eligibility,
        filed_at=when,
        **extra,
    )


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    rules = ProgrammeRules.current().as_dict()
    d = _dates(ctx)
    session = 23 + (d["registration_year"] - 2027) // 2
    now = timezone.now()
    collectives = list(
        Collective.objects.exclude(eligibility=Eligibility.NOT_MET)
        .select_related("town")
        .order_by("id")
    )
    manager_collective = "石岐街道便民服务中心青年服务窗口"

    # The previous cycle, closed: about a third of the collectives filed.
    prev = Cycle.objects.create(
        session_no=session - 1,
        registration_year=d["registration_year"] - 2,
        certification_year=d["registration_year"] - 1,
        phase=Phase.CLOSED,
        registration_opens_on=datetime.date(d["registration_year"] - 2, 3, 1),
        registration_closes_on=datetime.date(d["registration_year"] - 2, 4, 30),
        creation_ends_on=datetime.date(d["registration_year"] - 1, 4, 30),
        certification_starts_on=datetime.date(d["registration_year"] - 1, 5, 1),
        certification_ends_on=datetime.date(d["registration_year"] - 1, 6, 30),
        rules_snapshot=rules,
        opened_at=now - datetime.timedelta(days=900),
        quotas_published_at=now - datetime.timedelta(days=890),
        closed_at=now - datetime.timedelta(days=150),
    )
    prev_regs = [
        _reg(prev, c, i, RegistrationStatus.FILED, now - datetime.timedelta(days=880))
        for i, c in enumerate(
            (
                c
                for c in collectives
                if rng.random() < 0.35
                or (c.town.name == NO_NON_PUBLIC_TOWN and c.ownership == Ownership.NON_PUBLIC)
            ),
            start=1,
        )
    ]
    Registration.objects.bulk_create(prev_regs)

    cycle = Cycle.objects.create(
        session_no=session,
        phase=Phase.REGISTRATION_OPEN,
        rules_snapshot=rules,
        opened_at=now - datetime.timedelta(days=14),
        quotas_published_at=now - datetime.timedelta(days=12),
        **d,
    )
    _compute_quotas(cycle)
    quotas = {q.body_id: q for q in Quota.objects.filter(cycle=cycle)}

    by_body: dict[int, list[Collective]] = {}
    for c in collectives:
        if c.name == manager_collective:
            continue  # left for the demo manager to file
        if c.town.name == NO_NON_PUBLIC_TOWN and c.ownership == Ownership.NON_PUBLIC:
            continue
        by_body.setdefault(c.body_id, []).append(c)

    regs: list[Registration] = []
    n = 0
    accepted_bodies: list[int] = []
    submitted_bodies: list[int] = []
    for i, (body_id, cs) in enumerate(
        sorted(by_body.items(), key=lambda kv: (-quotas[kv[0]].final, kv[0]))
    ):
        quota = quotas[body_id].final
        picked = rng.sample(cs, min(len(cs), quota + 2))
        used = 0
        # First body's list already filed by the city; the second submitted and waiting.
        mode = "filed" if i == 0 else "submitted" if i == 1 else "open"
        for j, c in enumerate(picked):
            n += 1
            when = now - datetime.timedelta(days=rng.randint(1, 13), hours=rng.randint(0, 20))
            if mode != "open":
                status = (
                    RegistrationStatus.FILED if mode == "filed" else RegistrationStatus.ACCEPTED
                )
                if used >= quota:
                    status = RegistrationStatus.REJECTED
            else:
                status = [
                    RegistrationStatus.SUBMITTED,
                    RegistrationStatus.ACCEPTED,
                    RegistrationStatus.SUBMITTED,
                    RegistrationStatus.RETURNED,
                    RegistrationStatus.REJECTED,
                    RegistrationStatus.WITHDRAWN,
                ][j % 6]
                if status == RegistrationStatus.ACCEPTED and used >= quota:
                    status = RegistrationStatus.SUBMITTED
            extra: dict[str, Any] = {}
            if status in (RegistrationStatus.ACCEPTED, RegistrationStatus.FILED):
                used += 1
                extra = {"rank": used, "reviewed_at": when + datetime.timedelta(hours=20)}
            elif status in (RegistrationStatus.RETURNED, RegistrationStatus.REJECTED):
                extra = {
                    "review_reason": "创建计划过于笼统，请细化创建载体和时间安排。"
                    if status == RegistrationStatus.RETURNED
                    else "超出本组织名额，排序靠后。",
                    "reviewed_at": when + datetime.timedelta(hours=20),
                }
            if j == 0 and mode in ("filed", "submitted"):  # counted inside the cap, flagged
                extra["special_recommendation"] = True
            regs.append(_reg(cycle, c, n, status, when, **extra))
        (
            accepted_bodies if mode == "filed" else submitted_bodies if mode == "submitted" else []
        ).append(body_id)
    Registration.objects.bulk_create(regs)
    BodySubmission.objects.bulk_create(
        [
            BodySubmission(
                cycle=cycle,
                body_id=b,
                status=SubmissionStatus.ACCEPTED,
                submitted_at=now,
                decided_at=now,
            )
            for b in accepted_bodies
        ]
        + [
            BodySubmission(
                cycle=cycle, body_id=b, status=SubmissionStatus.SUBMITTED, submitted_at=now
            )
            for b in submitted_bodies
        ]
    )
    link = f"/office/cycles/{cycle.code}/registrations/?status=submitted"
    for username in ("shiqi_admin", "xiaolan_admin", "health_admin"):
        user = ctx.users.get(username)
        if user is not None:
            notify(
                [user],
                link=link,
                code="cycles.registration.reminder",
                params={
                    "cycle": cycle_msg(cycle),
                    "d": cycle.registration_closes_on.isoformat(),
                    "n": 1,
                },
            )
    if "city_admin" in ctx.users and submitted_bodies:
        from qnwmh.orgs.models import Organisation

        first = submitted_bodies[0]
        notify(
            [ctx.users["city_admin"]],
            link=f"/office/cycles/{cycle.code}/submissions/",
            code="cycles.submission.submitted",
            params={
                "b": Organisation.objects.get(pk=first).name,
                "cycle": cycle_msg(cycle),
                "n": sum(1 for r in regs if r.body_id == first),
            },
        )
    ctx.extra["cycle"] = cycle
