"""Demo data of the ranking part.

- League support for the certifying round's recommended applications (the round of the cycle
  before the current one, see ``certification.demo``), so its live ranking weighs something.
- The **finished earlier cycle**, two years before the certifying one: closed, with its rules
  snapshot, quotas, filed registrations, a closed round whose ~40 recommended applications
  over five bodies have their scores (written in bulk like the other demos' rows) and league
  support; then its ranking is frozen through the service, and the shortlist is left in
  ``ctx.extra["awards_shortlist"]`` for the notice and decision demos.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.awards.models import LeagueSupport
from qnwmh.awards.services.ranking import freeze
from qnwmh.certification.models import (
    Application,
    ApplicationResult,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
)
from qnwmh.collectives.models import Collective, Eligibility
from qnwmh.core.demo_context import DemoContext
from qnwmh.cycles.models import Cycle, Phase, Quota, Registration, RegistrationStatus
from qnwmh.programme.models import ProgrammeRules

BODIES = 5
REGISTERED = 12  # filed registrations per body: a 2:1 cap of six
PER_BODY = 6  # of which recommended applications: four listed (the quota), two in reserve
QUOTA = 4
REASON = "团员按时交纳团费，每月开展主题团日活动，团组织在创建中作用明显。"


def _years(d: datetime.date, years: int) -> datetime.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _support(app: Application, score: int, by: Any) -> LeagueSupport:
    return LeagueSupport(
        application=app,
        score=Decimal(score),
        figures={"league_members": 6 + score % 17, "league_activities": 4 + score % 9},
        reason=REASON,
        entered_by=by,
    )


def _live_round_support(ctx: DemoContext, clerk: Any) -> None:
    current = ctx.extra.get("cycle")
    if current is None:
        return
    r = CertificationRound.objects.filter(cycle__session_no=current.session_no - 1).first()
    if r is None:
        return
    apps = Application.objects.filter(
        round=r, status=ApplicationStatus.RECOMMENDED, league_support__isnull=True
    ).order_by("id")
    LeagueSupport.objects.bulk_create(_support(a, ctx.rng.randint(60, 98), clerk) for a in apps)


def _earlier_cycle(certifying: Cycle) -> Cycle:
    shift = {
        name: _years(getattr(certifying, name), 2)
        for name in (
            "registration_opens_on",
            "registration_closes_on",
            "creation_ends_on",
            "certification_starts_on",
            "certification_ends_on",
        )
    }
    closed = timezone.make_aware(
        datetime.datetime.combine(shift["certification_ends_on"], datetime.time(17))
    )
    return Cycle.objects.create(
        session_no=certifying.session_no - 1,
        registration_year=certifying.registration_year - 2,
        certification_year=certifying.certification_year - 2,
        phase=Phase.CLOSED,
        rules_snapshot=ProgrammeRules.current().as_dict(),
        opened_at=closed - datetime.timedelta(days=820),
        quotas_published_at=closed - datetime.timedelta(days=810),
        closed_at=closed,
        **shift,
    )


def _round(cycle: Cycle) -> CertificationRound:
    start = cycle.certification_starts_on
    day = datetime.timedelta(days=1)
    return CertificationRound.objects.create(
        cycle=cycle,
        status=RoundStatus.CLOSED,
        applications_open_on=start,
        applications_close_on=start + 10 * day,
        test_opens_on=start + 2 * day,
        test_closes_on=start + 12 * day,
        site_from=start + 13 * day,
        site_to=start + 25 * day,
        defence_from=start + 26 * day,
        defence_to=start + 30 * day,
        scoring_closes_on=start + 33 * day,
    )


def _picked(ctx: DemoContext) -> dict[int, list[Collective]]:
    """The five bodies with the most eligible collectives, twelve collectives each."""
    collectives = list(Collective.objects.exclude(eligibility=Eligibility.NOT_MET).order_by("id"))
    counts = Counter(c.body_id for c in collectives)
    bodies = [b for b, n in counts.most_common() if n >= REGISTERED][:BODIES]
    return {b: [c for c in collectives if c.body_id == b][:REGISTERED] for b in bodies}


def _applications(
    ctx: DemoContext, r: CertificationRound, picked: dict[int, list[Any]]
) -> list[Application]:
    cycle = r.cycle
    filed_at = timezone.make_aware(
        datetime.datetime.combine(cycle.registration_closes_on, datetime.time(10))
    )
    Quota.objects.bulk_create(
        Quota(cycle=cycle, body_id=b, base_kind="titles_held", base_value=QUOTA, computed=QUOTA)
        for b in picked
    )
    regs = Registration.objects.bulk_create(
        Registration(
            cycle=cycle,
            collective=c,
            body_id=c.body_id,
            town_id=c.town_id,
            ownership=c.ownership,
            number=f"{cycle.session_no}-{n:04d}",
            status=RegistrationStatus.FILED,
            plan_summary="以岗位练兵和开放周为载体，提升服务质量。",
            leader_name="号长",
            leading_group="单位负责人 组长\n号长 副组长",
            pledge="亮形象、亮身份、亮承诺，热情服务，接受社会监督。",
            eligibility=c.eligibility,
            filed_at=filed_at,
        )
        for n, c in enumerate((c for cs in picked.values() for c in cs), start=1)
    )
    recommended_at = timezone.make_aware(
        datetime.datetime.combine(r.applications_close_on, datetime.time(16))
    )
    by_body: Counter[int] = Counter()
    apps: list[Application] = []
    for reg in regs:
        if by_body[reg.body_id] >= PER_BODY:
            continue  # filed, but did not apply: it still counts for the 2:1 cap
        by_body[reg.body_id] += 1
        apps.append(
            Application(
                round=r,
                registration=reg,
                collective_id=reg.collective_id,
                body_id=reg.body_id,
                town_id=reg.town_id,
                status=ApplicationStatus.RECOMMENDED,
                special_recommendation=by_body[reg.body_id] == PER_BODY and len(apps) < 10,
                statement="本集体以创建为抓手，持续提升服务质量，群众满意率保持在 98% 以上。",
                recommendation="同意推荐。",
                body_rank=by_body[reg.body_id],
                submitted_at=recommended_at - datetime.timedelta(days=3),
                recommended_at=recommended_at,
            )
        )
    apps = Application.objects.bulk_create(apps)
    results = []
    for app in apps:
        site = Decimal(ctx.rng.randint(7000, 9600)) / 100
        defence = Decimal(ctx.rng.randint(7000, 9600)) / 100
        results.append(
            ApplicationResult(
                application=app,
                site_score=site,
                defence_score=defence,
                combined=((site + defence) / 2).quantize(Decimal("0.01")),
                method="mean",
                site_sheets=3,
                defence_sheets=3,
            )
        )
    ApplicationResult.objects.bulk_create(results)
    return apps


def build(ctx: DemoContext) -> None:
    clerk = ctx.users.get("city_admin")
    current = ctx.extra.get("cycle")
    if clerk is None or current is None:
        return
    _live_round_support(ctx, clerk)
    certifying = Cycle.objects.filter(session_no=current.session_no - 1).first()
    if certifying is None or Cycle.objects.filter(session_no=certifying.session_no - 1).exists():
        return
    picked = _picked(ctx)
    if not picked:
        return
    r = _round(_earlier_cycle(certifying))
    apps = _applications(ctx, r, picked)
    LeagueSupport.objects.bulk_create(_support(a, ctx.rng.randint(55, 100), clerk) for a in apps)
    ctx.extra["awards_shortlist"] = freeze(
        actor_for(clerk, "127.0.0.1"),
        r,
        note="经团市委书记办公会研究，按评审得分、团建工作和社会评价综合排序确定。",
    )
