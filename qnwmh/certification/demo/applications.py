"""Demo data for certification: the previous cycle (whose creation history the creation demo
replayed) is in its certification phase, its round in review (applications closed by force
with a reason, the test still open a few days), with applications in every state.

The demo accounts' own steps go through the services (history, notices): ``manager_demo``'s
collective applies, links its log entries and is recommended by ``shiqi_admin``, who returns
another; the rest are written in bulk like the other demos' rows. Collectives recommended
have passed the knowledge test (attempts written directly; the knowledge demo adds its own)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.certification.models import (
    Application,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
    SelfAssessment,
)
from qnwmh.certification.services import applications as services
from qnwmh.certification.services import round as round_services
from qnwmh.collectives.models import Collective, Eligibility
from qnwmh.core.demo_context import DemoContext
from qnwmh.creation.models import LogEntry
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Phase, Registration, RegistrationStatus
from qnwmh.knowledge.models import Attempt
from qnwmh.programme.models import Dimension
from qnwmh.supervision.selectors import public_appraisal

MANAGER_COLLECTIVE = "石岐街道便民服务中心青年服务窗口"
APPLICANTS = 36
TEXTS: dict[str, str] = {
    Dimension.BASIC_BUILD: "成立创建领导小组，号长由窗口负责人担任，岗位职责上墙公示。",
    Dimension.SYSTEMS: "建立首问负责、限时办结、服务承诺等制度，并按月检查落实。",
    Dimension.RESULTS: "全年办件量同比增长，群众满意率保持在 98% 以上。",
    Dimension.FEATURES: "推出“青年帮办”延时服务和上门代办，打造窗口服务品牌。",
    Dimension.OUTCOMES: "获评区级优秀窗口，两名青年获岗位能手称号。",
    Dimension.PUBLIC_APPRAISAL: "主动公开监督电话，投诉件件有回复。",
    Dimension.LEAGUE_BUILDING: "团支部每月开展主题团日活动，青年参与率达 90%。",
}
STATEMENT = (
    "本集体以“青年文明号”创建为抓手，以岗位练兵和开放周为载体，持续提升服务质量，"
    "创建期间服务群众数万人次，未发生有效投诉。"
)


def _windows(today: datetime.date, *, open_now: bool) -> dict[str, datetime.date]:
    """While the demo files applications the window holds today; afterwards it has closed
    and the round is in review (site visits under way, defences ahead)."""
    day = datetime.timedelta(days=1)
    return {
        "applications_open_on": today - 30 * day,
        "applications_close_on": today + 2 * day if open_now else today - 3 * day,
        "test_opens_on": today - 28 * day,
        "test_closes_on": today + 7 * day,
        "site_from": today - 2 * day,
        "site_to": today + 14 * day,
        "defence_from": today + 15 * day,
        "defence_to": today + 25 * day,
        "scoring_closes_on": today + 30 * day,
    }


def _certifying_cycle(ctx: DemoContext) -> Cycle | None:
    current = ctx.extra.get("cycle")
    if current is None:
        return None
    prev = Cycle.objects.filter(session_no=current.session_no - 1).first()
    if prev is None:
        return None
    end = max(prev.certification_ends_on, ctx.today + datetime.timedelta(days=35))
    Cycle.objects.filter(pk=prev.pk).update(
        phase=Phase.CERTIFICATION, closed_at=None, certification_ends_on=end
    )
    prev.refresh_from_db()
    return prev


def _filed(cycle: Cycle, collective: Collective) -> None:
    """The demo manager's collective was filed in this cycle (the draw may have missed it)."""
    if Registration.objects.filter(
        cycle=cycle, collective=collective, status__in=COUNTED_STATUSES
    ).exists():
        return
    Registration.objects.create(
        cycle=cycle,
        collective=collective,
        body=collective.body,
        town=collective.town,
        ownership=collective.ownership,
        number=f"{cycle.session_no}-D0001",
        status=RegistrationStatus.FILED,
        plan_summary="以岗位练兵和开放周为载体，提升窗口服务质量。",
        leader_name="号长",
        leading_group="单位负责人 组长",
        pledge="热情服务，接受监督。",
    )


def _passed(r: CertificationRound, collective: Collective, taker: Any, score: int) -> None:
    exam = r.exam
    assert exam is not None  # the round's move to applications created it
    now = timezone.now()
    leader = collective.members.current().filter(is_leader=True).first()
    Attempt.objects.create(
        exam=exam,
        taker=taker,
        collective=collective,
        member=leader,
        candidate_name=leader.name if leader else "号长",
        seed=collective.pk,
        deadline=now - datetime.timedelta(days=5),
        started_at=now - datetime.timedelta(days=5, minutes=25),
        submitted_at=now - datetime.timedelta(days=5, minutes=2),
        status="submitted",
        score=score,
        passed=score >= exam.pass_score,
    )


def _showcase(ctx: DemoContext, r: CertificationRound) -> set[int]:
    """The demo accounts' steps through the services; returns the collectives used."""
    manager, body = ctx.users.get("manager_demo"), ctx.users.get("shiqi_admin")
    collective = Collective.objects.filter(name=MANAGER_COLLECTIVE).first()
    if manager is None or body is None or collective is None:
        return set()
    if services.eligibility_on(r, collective).status == Eligibility.NOT_MET:
        return set()
    _filed(r.cycle, collective)
    as_manager, as_body = actor_for(manager), actor_for(body)
    app = services.application_create(as_manager, round=r, collective=collective)
    entries = list(
        LogEntry.objects.filter(collective=collective, cycle=r.cycle).order_by("occurred_on")[:3]
    )
    picks: dict[str, dict[str, Any]] = {d: {"text": t} for d, t in TEXTS.items()}
    if entries:
        picks[Dimension.RESULTS]["entries"] = [e.code for e in entries]
    services.application_save(as_manager, application=app, statement=STATEMENT, assessments=picks)
    services.application_submit(as_manager, application=app)
    _passed(r, collective, manager, 90)
    services.application_recommend(
        as_body, application=app, text="窗口服务规范，群众评价好，同意推荐。", rank=1
    )
    used = {collective.pk}
    others = Collective.objects.filter(
        body=collective.body,
        registrations__cycle=r.cycle,
        registrations__status__in=COUNTED_STATUSES,
    ).exclude(pk=collective.pk)
    other = next(
        (c for c in others if services.eligibility_on(r, c).status != Eligibility.NOT_MET),
        None,
    )
    if other is not None:
        second = services.application_create(as_body, round=r, collective=other)
        texts_only = {d: {"text": t} for d, t in TEXTS.items()}
        services.application_save(
            as_body, application=second, statement=STATEMENT, assessments=texts_only
        )
        services.application_submit(as_body, application=second)
        services.application_return(
            as_body, application=second, reason="自评中的创建成效缺少数据支撑，请补充后重新提交。"
        )
        used.add(other.pk)
    return used


STATES = [
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.DRAFT,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.WITHDRAWN,
]


def _bulk(ctx: DemoContext, r: CertificationRound, skip: set[int]) -> None:
    """The other applications, written in bulk: every state, ranks per body."""
    regs = list(
        Registration.objects.filter(cycle=r.cycle, status__in=COUNTED_STATUSES)
        .exclude(collective_id__in=skip)
        .select_related("collective")
        .order_by("id")[:APPLICANTS]
    )
    eligible = []
    for reg in regs:
        result = services.eligibility_on(r, reg.collective)
        if result.status != Eligibility.NOT_MET:
            eligible.append((reg, result))
    figures = public_appraisal(
        [reg.collective_id for reg, _r in eligible],
        r.cycle.registration_opens_on,
        ctx.today,
    )
    now = timezone.now()
    # Ranks continue after those the showcase gave (unique per body).
    ranks: dict[int, int] = dict(
        r.applications.filter(status=ApplicationStatus.RECOMMENDED)
        .values("body_id")
        .annotate(top=Max("body_rank"))
        .values_list("body_id", "top")
    )
    rows = []
    for i, (reg, result) in enumerate(eligible):
        status = STATES[i % len(STATES)]
        sent = status != ApplicationStatus.DRAFT
        app = Application(
            round=r,
            registration=reg,
            collective=reg.collective,
            body_id=reg.body_id,
            town_id=reg.town_id,
            status=status,
            special_recommendation=reg.special_recommendation,
            statement=STATEMENT if sent else "",
            eligibility=str(result.status),
            eligibility_checks=services._checks_json(result),
            eligibility_on=result.on,
            appraisal={
                **figures[reg.collective_id],
                "from": r.cycle.registration_opens_on.isoformat(),
                "to": ctx.today.isoformat(),
            }
            if sent
            else {},
            submitted_at=now - datetime.timedelta(days=10 + i % 7) if sent else None,
        )
        if status == ApplicationStatus.RECOMMENDED:
            ranks[reg.body_id] = ranks.get(reg.body_id, 0) + 1
            app.body_rank = ranks[reg.body_id]
            app.recommendation = "创建工作扎实，台帐完整，同意推荐。"
            app.recommended_at = now - datetime.timedelta(days=5)
        elif status == ApplicationStatus.RETURNED:
            app.return_reason = "佐证材料不足，请补充开放周活动照片。"
        elif status == ApplicationStatus.WITHDRAWN:
            app.withdraw_reason = "本周期创建目标未完成，主动撤回。"
        rows.append(app)
    Application.objects.bulk_create(rows)
    SelfAssessment.objects.bulk_create(
        [
            SelfAssessment(
                application=app,
                dimension=d,
                text=TEXTS[Dimension(d)] if app.status != ApplicationStatus.DRAFT else "",
            )
            for app in rows
            for d in Dimension.values
        ]
    )
    taker = ctx.users["city_admin"]
    for i, app in enumerate(rows):
        if app.status == ApplicationStatus.RECOMMENDED:
            _passed(r, app.collective, taker, 70 + (i * 7) % 30)
        elif app.status == ApplicationStatus.SUBMITTED and i % 2:
            _passed(r, app.collective, taker, 45)  # failed: its body cannot recommend it


def build(ctx: DemoContext) -> None:
    city_user = ctx.users.get("city_admin")
    cycle = _certifying_cycle(ctx)
    if city_user is None or cycle is None:
        return
    city = actor_for(city_user)
    r = CertificationRound.objects.filter(cycle=cycle).first() or round_services.create_round(
        city, cycle
    )
    round_services.round_update(city, round=r, values=_windows(ctx.today, open_now=True))
    round_services.round_move(city, round=r, to=RoundStatus.APPLICATIONS)
    r.refresh_from_db()
    used = _showcase(ctx, r)
    _bulk(ctx, r, used)
    round_services.round_update(city, round=r, values=_windows(ctx.today, open_now=False))
    round_services.round_move(
        city,
        round=r,
        to=RoundStatus.REVIEW,
        force=True,
        reason="申报按期截止，未推荐的申报不进入评审。",
    )
    ctx.extra["certification_round"] = r
