"""Demo data for certification: reviewers. Three review areas over the 23 towns, an expert
pool of twelve (the demo account ``reviewer_demo`` among them), a panel per area in the round
under review, an automatic draw per area (fixed seeds), and the reviewers' answers: most
accept, one declines with a reason, one declares a conflict, some have not answered yet."""

from __future__ import annotations

from qnwmh.access.actor import actor_for
from qnwmh.certification.models import (
    Assignment,
    AssignmentStatus,
    CertificationRound,
    Reviewer,
    RoundStatus,
)
from qnwmh.certification.services import assignment as assigning
from qnwmh.certification.services import reviewers as pool
from qnwmh.core.demo_context import DemoContext
from qnwmh.core.errors import DomainError
from qnwmh.orgs.models import Town

AREA_NAMES = ("第一片区", "第二片区", "第三片区")

# username, name, expertise, employer; four per area in order (reviewer_demo heads the first).
EXPERTS = [
    ("expert_liang", "梁静怡", "公共服务管理", "中山市行政服务中心"),
    ("expert_wu", "吴国栋", "企业管理", "中山职业技术学院"),
    ("expert_zheng", "郑丽华", "社会工作", "中山市社会工作协会"),
    ("expert_feng", "冯志远", "青年工作研究", "中山市青少年宫"),
    ("expert_tang", "唐慧敏", "医疗卫生", "中山市卫生健康局退休干部"),
    ("expert_xu", "许家乐", "质量管理", "中山市质量技术协会"),
    ("expert_he", "何文静", "财务审计", "中山市审计学会"),
    ("expert_luo", "罗建明", "公共管理", "电子科技大学中山学院"),
    ("expert_deng", "邓晓彤", "志愿服务", "中山市志愿者联合会"),
    ("expert_su", "苏国华", "党建与团建", "中山市委党校"),
    ("expert_lin", "林美玲", "传播与社会评价", "中山日报社"),
]


def build(ctx: DemoContext) -> None:
    city = actor_for(ctx.users["city_admin"], "127.0.0.1")
    towns = list(Town.objects.filter(active=True).order_by("sort_order", "id"))
    third = -(-len(towns) // 3)
    areas = [
        pool.area_create(
            city, name=name, towns=towns[i * third : (i + 1) * third], sort_order=i + 1
        )
        for i, name in enumerate(AREA_NAMES)
    ]
    members: list[list[Reviewer]] = [[] for _ in areas]
    demo_reviewer = pool.reviewer_add_profile(
        city,
        user=ctx.users["reviewer_demo"],
        expertise="青年工作研究",
        employer="中山大学中山研究院",
        areas=[areas[0]],
    )
    members[0].append(demo_reviewer)
    for n, (username, name, expertise, employer) in enumerate(EXPERTS):
        area = areas[(n + 1) // 4]
        rv, _password = pool.reviewer_create(
            city,
            username=username,
            display_name=name,
            expertise=expertise,
            employer=employer,
            areas=[area],
        )
        members[(n + 1) // 4].append(rv)
    ctx.extra["reviewers"] = [rv for group in members for rv in group]

    rnd = CertificationRound.objects.filter(status=RoundStatus.REVIEW).first()
    if rnd is None:
        return  # no round under review in this demo: the pool waits for one
    for area, group in zip(areas, members, strict=True):
        pool.panel_save(
            city,
            round=rnd,
            area=area,
            members=group,
            chair=group[1] if len(group) > 1 else group[0],
            secretary=ctx.users["city_admin"],
        )
        try:
            assigning.draw(city, round=rnd, area=area, seed=ctx.seed + area.sort_order)
        except DomainError:
            continue  # an area without recommended applications yet
    _answer(ctx, rnd)


def _answer(ctx: DemoContext, rnd: CertificationRound) -> None:
    """Most accept; one declines; one declares a conflict; some have not answered."""
    invited = list(
        Assignment.objects.filter(application__round=rnd, status=AssignmentStatus.INVITED)
        .select_related("reviewer__user", "application__collective")
        .order_by("id")
    )
    declined = declared = False
    for i, a in enumerate(invited):
        actor = actor_for(a.reviewer.user, "127.0.0.1")
        if a.reviewer.user == ctx.users["reviewer_demo"]:
            if i % 2 == 0:  # the demo reviewer has both accepted work and invitations
                assigning.accept(actor, assignment=a)
            continue
        if not declined:
            assigning.decline(actor, assignment=a, reason="评审期间在外地出差")
            declined = True
        elif not declared:
            assigning.accept(actor, assignment=a)
            pool.conflict_declare(
                actor, application=a.application, reason="本人曾在该集体所在单位任职"
            )
            declared = True
        elif ctx.rng.random() < 0.8:
            assigning.accept(actor, assignment=a)
