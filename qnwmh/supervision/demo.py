"""Demo: a holiday calendar, ratings, and complaints in every status — some overdue and
escalated, one reopened by an unsatisfied filer for city review, one with hidden text."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.core.actor import Actor, system_actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.supervision import services
from qnwmh.supervision.models import Category, Channel, Kind

# Demo calendar (public holidays and make-up working days, 调休).
HOLIDAYS = [
    ("2026-01-01", "元旦", False),
    ("2026-01-02", "元旦", False),
    ("2026-01-04", "元旦调休", True),
    *[(f"2026-02-{d:02d}", "春节", False) for d in range(15, 24)],
    ("2026-02-14", "春节调休", True),
    ("2026-02-28", "春节调休", True),
    ("2026-04-06", "清明节", False),
    *[(f"2026-05-{d:02d}", "劳动节", False) for d in range(1, 6)],
    ("2026-05-09", "劳动节调休", True),
    ("2026-06-19", "端午节", False),
    ("2026-09-25", "中秋节", False),
    *[(f"2026-10-{d:02d}", "国庆节", False) for d in range(1, 8)],
    ("2026-09-20", "国庆节调休", True),
    ("2026-10-10", "国庆节调休", True),
    ("2027-01-01", "元旦", False),
]

TEXTS = {
    Category.ATTITUDE: [
        "窗口工作人员办理业务时态度生硬，询问问题时不耐烦。",
        "排队时工作人员在聊天，叫号后很久才来处理。",
    ],
    Category.EFFICIENCY: [
        "同一份材料要求来回补交三次，每次只说缺一样，希望一次告知。",
        "网上预约后到现场仍需重新取号，等了一个多小时。",
    ],
    Category.DISCIPLINE: ["工作时间有人长时间玩手机，群众在窗口前等候无人理会。"],
    Category.PLEDGE: ["公示牌上承诺 24 小时内回应，但留言三天无人联系。"],
    Category.ENVIRONMENT: ["大厅空调不制冷，等候区座位不足，老人只能站着等。"],
    Category.OTHER: ["建议增加周六上午的服务时段，方便上班族办理。"],
}
PRAISE = [
    "护士小林耐心细致，帮我母亲预约了复诊，还主动提醒注意事项，非常感谢！",
    "窗口的年轻人帮我一次把材料都弄清楚了，十分钟就办好，点赞。",
]
NAMES = ["陈先生", "李女士", "黄阿姨", "梁同学", "", "", "何先生", ""]


def _enter(
    ctx: DemoContext,
    admin: Actor,
    collective: Any,
    days_ago: int,
    i: int,
    kind: str = Kind.COMPLAINT,
) -> Any:
    rng = ctx.rng
    category = rng.choice(list(TEXTS)) if kind != Kind.PRAISE else Category.ATTITUDE
    text = rng.choice(PRAISE) if kind == Kind.PRAISE else rng.choice(TEXTS[category])
    when = timezone.now() - datetime.timedelta(days=days_ago, hours=rng.randint(0, 8))
    name = NAMES[i % len(NAMES)]
    phone = f"139{rng.randint(10000000, 99999999)}" if name else ""
    if days_ago == 0:
        return services.complaint_file(
            Actor(user=None, ip=f"10.70.{i // 200}.{i % 200 + 1}"),
            collective=collective,
            kind=kind,
            category=category,
            text=text,
            filer_name=name,
            filer_phone=phone,
        )
    channel = Channel.PHONE if i % 3 else Channel.LETTER
    return services.complaint_enter(
        admin,
        collective=collective,
        kind=kind,
        category=category,
        text=text,
        channel=channel,
        filer_name=name,
        filer_phone=phone,
        received_at=when,
    )


def build(ctx: DemoContext) -> None:
    city = actor_for(ctx.users["city_admin"], "127.0.0.1")
    for day, name, workday in HOLIDAYS:
        services.holiday_add(
            city, date=datetime.date.fromisoformat(day), name=name, is_workday=workday
        )

    rng = ctx.rng
    collectives = list(ctx.collectives)
    first = collectives[0]  # the demo manager's collective heads the list

    # Ratings: a few hundred across the first collectives, one per device per day.
    for n in range(300):
        c = rng.choice(collectives[:60])
        services.rating_add(
            Actor(user=None, ip=f"10.71.{n // 200}.{n % 200 + 1}"),
            collective=c,
            stars=rng.choices([5, 4, 3, 2, 1], weights=[50, 25, 12, 8, 5])[0],
            comment=rng.choice(["", "", "服务很好", "效率高", "需要改进"]),
            device=f"demo-device-{n}",
        )

    i = 0

    def new(days_ago: int, kind: str = Kind.COMPLAINT, collective: Any = None) -> Any:
        nonlocal i
        i += 1
        return _enter(ctx, city, collective or rng.choice(collectives), days_ago, i, kind)

    # Received: fresh (today, through the QR page) and overdue for acknowledgement.
    new(0, collective=first)
    for _ in range(3):
        new(0)
    for _ in range(3):
        new(rng.randint(6, 12))
    # Acknowledged.
    for _ in range(3):
        services.complaint_acknowledge(city, complaint=new(rng.randint(1, 3)))
    # Investigating: some within time, some past the finishing deadline.
    for days in (4, 8, 30, 40):
        c = services.complaint_acknowledge(city, complaint=new(days))
        services.complaint_investigate(city, complaint=c)
    # Rectification ordered.
    for days in (10, 35):
        c = new(days)
        services.complaint_acknowledge(city, complaint=c)
        services.complaint_investigate(city, complaint=c)
        services.complaint_order_rectification(
            city,
            complaint=c,
            findings="经调取监控和询问当事人，情况属实。",
            rectification="对当事人批评教育，一个月内完成窗口服务规范培训并报送整改报告。",
        )

    def replied(days: int, kind: str = Kind.COMPLAINT, collective: Any = None) -> Any:
        return answer(new(days, kind, collective))

    def answer(c: Any) -> Any:
        services.complaint_acknowledge(city, complaint=c)
        services.complaint_investigate(city, complaint=c)
        return services.complaint_reply(
            city,
            complaint=c,
            findings="已核实并约谈相关工作人员。",
            reply="感谢您的监督。经核实，您反映的问题已责成整改，并在全体会议上通报。",
        )

    for _ in range(3):
        replied(rng.randint(5, 20))
    # Closed: by staff and by a satisfied filer; praise too.
    services.complaint_close(city, complaint=replied(25))
    # Only the filer's secret answers for the filer, and only public intake gives one.
    filed = new(0)
    services.complaint_feedback(
        Actor(user=None, ip="10.72.0.1"),
        complaint=answer(filed),
        secret=filed.filer_secret,
        satisfied=True,
    )
    services.complaint_close(city, complaint=replied(12, Kind.PRAISE))
    services.complaint_close(city, complaint=replied(9, Kind.SUGGESTION))
    # Not substantiated.
    c = services.complaint_acknowledge(city, complaint=new(14))
    services.complaint_not_substantiated(
        city,
        complaint=c,
        findings="经查当日该窗口按规定办理，未发现所述情况。",
        reply="经核查，未发现您反映的情况。如有更多线索，欢迎继续反映。",
    )
    # Duplicate.
    original = services.complaint_acknowledge(city, complaint=new(7, collective=first))
    dup = new(6, collective=first)
    services.complaint_mark_duplicate(city, complaint=dup, original_code=original.code)
    # Reopened for city review: the filer was not satisfied.
    filed = new(0, collective=first)
    services.complaint_feedback(
        Actor(user=None, ip="10.72.0.2"),
        complaint=answer(filed),
        secret=filed.filer_secret,
        satisfied=False,
        comment="问题没有解决，仍然排长队。",
    )
    # Moderation: abusive text hidden, original kept.
    services.complaint_hide_text(city, complaint=new(2), reason="含人身攻击用语")
    # Overdue ones go to the city through the daily command.
    services.escalate_overdue(system_actor())
