"""Demo: about 300 collectives across the bodies, with rosters and titles.

A few collectives are ineligible on purpose (too small, an over-age leader, too few young
members, no leader) so the eligibility pages have something to show.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.collectives import fake
from qnwmh.collectives.models import Collective, Level, Member, Ownership, Title, TitleStatus
from qnwmh.collectives.services import eligibility_refresh_all
from qnwmh.core.collation import pinyin_key
from qnwmh.core.demo_context import DemoContext
from qnwmh.orgs.models import Organisation

PLEDGES = (
    "一、热情服务，微笑待人，一次告知，限时办结。\n"
    "二、爱岗敬业，钻研业务，争创一流业绩。\n"
    "三、廉洁自律，接受监督，群众投诉 24 小时内回应。"
)

TOWN_UNITS: list[tuple[str, str, str]] = [
    # (collective name pattern, work unit pattern, ownership)
    ("{t}便民服务中心青年服务窗口", "中山市{t}便民服务中心", Ownership.PARTY_GOVERNMENT),
    ("{t}社区卫生服务中心青年护理团队", "中山市{t}社区卫生服务中心", Ownership.PUBLIC_INSTITUTION),
    ("{t}文化服务中心青年志愿服务队", "中山市{t}文化服务中心", Ownership.PUBLIC_INSTITUTION),
    ("{t}青年社工服务站", "中山市{t}社会工作服务中心", Ownership.SOCIAL_ORGANISATION),
    ("{t}市场监管所青年岗", "中山市市场监督管理局{t}分局", Ownership.PARTY_GOVERNMENT),
]

INDUSTRY_UNITS: dict[str, list[tuple[str, str, str]]] = {
    "公安": [
        ("{t}派出所户籍窗口", "中山市公安局{t}分局", Ownership.PARTY_GOVERNMENT),
        ("交警支队{t}大队事故处理中队", "中山市公安局交通警察支队", Ownership.PARTY_GOVERNMENT),
    ],
    "税务": [
        ("{t}税务分局办税服务厅", "国家税务总局中山市{t}税务分局", Ownership.PARTY_GOVERNMENT)
    ],
    "卫生健康": [
        ("{t}医院儿科门诊", "中山市{t}医院", Ownership.PUBLIC_INSTITUTION),
        ("{t}医院急诊科", "中山市{t}医院", Ownership.PUBLIC_INSTITUTION),
    ],
    "交通运输": [
        ("中山公交集团{t}车队", "中山市公共交通运输集团有限公司", Ownership.STATE_ENTERPRISE)
    ],
    "金融": [
        (
            "工商银行中山{t}支行营业部",
            "中国工商银行股份有限公司中山{t}支行",
            Ownership.STATE_ENTERPRISE,
        ),
        ("中山农商银行{t}支行", "广东中山农村商业银行股份有限公司", Ownership.STATE_ENTERPRISE),
    ],
    "电力": [("中山供电局{t}供电所", "广东电网有限责任公司中山供电局", Ownership.STATE_ENTERPRISE)],
    "教育": [("{t}中心小学青年教师团队", "中山市{t}中心小学", Ownership.PUBLIC_INSTITUTION)],
    "国有企业": [
        ("中山公用水务{t}营业厅", "中山公用事业集团股份有限公司", Ownership.STATE_ENTERPRISE)
    ],
    "两新组织": [],  # non-public companies, generated below
    "城市管理": [("{t}城管执法中队", "中山市城市管理和综合执法局", Ownership.PARTY_GOVERNMENT)],
}

# Roster shapes: (size range, youth share, leader age range); the last few fail on purpose.
HEALTHY = ((8, 40), 0.8, (26, 37))
BROKEN = [
    ((3, 5), 0.9, (28, 35)),  # too few members
    ((10, 20), 0.8, (44, 50)),  # leader over 40
    ((10, 20), 0.3, (30, 36)),  # too few young members
]


def _roster(
    ctx: DemoContext,
    collective: Collective,
    shape: Any,
    *,
    no_leader: bool = False,
    foreign: bool = False,
) -> list[Member]:
    rng = ctx.rng
    (lo, hi), youth_share, (leader_lo, leader_hi) = shape
    size = rng.randint(lo, hi)
    members = []
    for i in range(size):
        is_leader = i == 0 and not no_leader
        if is_leader:
            born = fake.birth_date(rng, ctx.today, leader_lo, leader_hi)
        elif rng.random() < youth_share:
            born = fake.birth_date(rng, ctx.today, 21, 34)
        else:
            born = fake.birth_date(rng, ctx.today, 37, 55)
        members.append(
            Member(
                collective=collective,
                name=fake.person_name(rng),
                birth_date=born,
                nationality="XX" if foreign and i % 2 else "CN",
                post=rng.choice(
                    ["窗口服务", "综合管理", "技术骨干", "一线操作", "志愿服务", "客户经理"]
                ),
                phone=fake.phone(rng),
                is_leader=is_leader,
                joined_on=ctx.today - datetime.timedelta(days=rng.randint(30, 2000)),
            )
        )
    return members


def _titles(ctx: DemoContext, collective: Collective, index: int) -> list[Title]:
    rng = ctx.rng
    roll = rng.random()
    titles: list[Title] = []
    if roll < 0.45:
        session, year = rng.choice([(18, 2016), (19, 2018), (20, 2020), (21, 2022), (22, 2024)])
        titles.append(
            Title(
                collective=collective,
                level=Level.CITY,
                session_no=session,
                year=year,
                stars=min(3, 1 + (2024 - year) // 4),
                awarded_on=datetime.date(year, 12, 20),
            )
        )
    if roll < 0.09:
        session, year = rng.choice([(19, 2019), (20, 2021), (21, 2023)])
        titles.append(
            Title(
                collective=collective,
                level=Level.PROVINCIAL,
                session_no=session,
                year=year,
                stars=rng.choice([1, 2]),
                awarded_on=datetime.date(year, 11, 1),
            )
        )
    if roll < 0.015:
        titles.append(
            Title(
                collective=collective,
                level=Level.NATIONAL,
                session_no=20,
                year=2021,
                stars=1,
                awarded_on=datetime.date(2021, 12, 1),
            )
        )
    # A few ended titles, kept as history.
    if 0.45 <= roll < 0.47:
        titles.append(
            Title(
                collective=collective,
                level=Level.CITY,
                session_no=17,
                year=2014,
                stars=1,
                awarded_on=datetime.date(2014, 12, 20),
                status=TitleStatus.REVOKED,
                ended_on=datetime.date(2021, 3, 15),
                end_reason="年度复核不合格，整改期满仍未达标",
            )
        )
    elif 0.47 <= roll < 0.49:
        titles.append(
            Title(
                collective=collective,
                level=Level.CITY,
                session_no=16,
                year=2012,
                stars=1,
                awarded_on=datetime.date(2012, 12, 20),
                status=TitleStatus.EXPIRED,
                ended_on=datetime.date(2020, 6, 30),
                end_reason="单位机构改革撤并",
            )
        )
    return titles


def _specs(ctx: DemoContext) -> list[tuple[Organisation, str, str, str, Any]]:
    """(body, name, work unit, ownership, town) for every demo collective."""
    rng = ctx.rng
    towns = ctx.extra["towns"]
    specs = []
    for body in ctx.bodies.values():
        if body.body_kind == Organisation.BodyKind.TERRITORIAL:
            t = body.town
            for pattern, unit, ownership in TOWN_UNITS:
                specs.append((body, pattern.format(t=t.name), unit.format(t=t.name), ownership, t))
            for _ in range(rng.randint(1, 3)):
                firm = fake.company(rng)
                specs.append((body, f"{firm}{fake.team(rng)}", firm, Ownership.NON_PUBLIC, t))
        else:
            patterns = INDUSTRY_UNITS[body.sector.name]
            for t in rng.sample(towns, 14):
                if patterns:
                    pattern, unit, ownership = rng.choice(patterns)
                    specs.append(
                        (body, pattern.format(t=t.name), unit.format(t=t.name), ownership, t)
                    )
                else:
                    firm = fake.company(rng)
                    ownership = (
                        Ownership.NON_PUBLIC
                        if rng.random() < 0.8
                        else Ownership.SOCIAL_ORGANISATION
                    )
                    specs.append((body, f"{firm}{fake.team(rng)}", firm, ownership, t))
    seen: set[tuple[int, str]] = set()
    unique = []
    for spec in specs:
        key = (spec[0].pk, spec[1])
        if key not in seen:
            seen.add(key)
            unique.append(spec)
    return unique


def _created_at(ctx: DemoContext, index: int) -> datetime.datetime:
    """Creation spread over the last twelve years, a tenth today (no draw from the shared
    random stream, so the rest of the demo stays as it was): the register on a past day, and
    the dashboard's year-on-year figures, differ from today's."""
    days = 0 if index % 10 == 3 else (index * 97) % 4400  # a tenth joined today
    day = ctx.today - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    collectives = []
    for i, (body, name, unit, ownership, town) in enumerate(_specs(ctx)):
        collectives.append(
            Collective(
                created_at=_created_at(ctx, i),
                name=name,
                sort_key=pinyin_key(name),
                work_unit=unit,
                body=body,
                town=town,
                ownership=ownership,
                sector=body.sector,
                address=f"广东省中山市{town.name}{rng.randint(1, 200)}号",
                supervision_phone=f"0760-{rng.randint(22000000, 89999999)}",
                supervision_email=f"qnwmh{rng.randint(1000, 9999)}@zs.example.cn",
                pledges=PLEDGES,
            )
        )
    Collective.objects.bulk_create(collectives)
    members: list[Member] = []
    titles: list[Title] = []
    for i, c in enumerate(collectives):
        if i % 29 == 7:
            shape: Any = BROKEN[(i // 29) % len(BROKEN)]
            members += _roster(ctx, c, shape)
        elif i % 61 == 11:
            members += _roster(ctx, c, HEALTHY, no_leader=True)
        else:
            members += _roster(ctx, c, HEALTHY)
        titles += _titles(ctx, c, i)
    Member.objects.bulk_create(members, batch_size=1000)
    Title.objects.bulk_create(titles, batch_size=1000)
    eligibility_refresh_all()
    ctx.collectives = collectives
