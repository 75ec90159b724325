"""Demo data of the re-review: last year's campaign finished — passes, a warning, a star down
(after an earlier warning), a revocation that ended the title, the exempt titles, one case the
city decided directly — and this year's campaign in progress: one case assessed awaiting the
city, some self-reported, the rest open. Everything goes through the services, each act by the
person whose act it is (the collective's manager, an admin of its body, the city).

It uses the standards the standard part's demo made for those years, else one from
``defaults`` created here."""

from __future__ import annotations

import datetime

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.access.selectors import administrators_of
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.oversight import defaults
from qnwmh.oversight.demo.people import manager_of
from qnwmh.oversight.models import (
    AnnualReview,
    Basis,
    CaseStatus,
    Exit,
    Outcome,
    ReviewCase,
    Sanction,
    SanctionKind,
    Source,
    Standard,
    StandardItem,
)
from qnwmh.oversight.services import review as services
from qnwmh.oversight.services import sanctions

MANAGER_COLLECTIVE = "石岐街道便民服务中心青年服务窗口"
NOTES: dict[str, str] = {
    Outcome.WARNING: "服务承诺公示不到位，创建台帐缺失两个月。",
    Outcome.STAR_DOWN: "上年度已警告提醒，本年度开放周仍多月未开展。",
    Outcome.REVOKE: "创建工作基本停滞，群众投诉多次属实。",
}


def build(ctx: DemoContext) -> None:
    city = ctx.users.get("city_admin")
    if city is None:
        return
    if not Title.objects.filter(level=Level.CITY, status=TitleStatus.ACTIVE).exists():
        return
    actor = actor_for(city)
    ctx.extra["oversight_review_last"] = _last_year(actor, ctx.today.year - 1)
    ctx.extra["oversight_review_current"] = _this_year(actor, ctx.today)


def standard_for(actor: Actor, year: int) -> Standard:
    found = Standard.objects.filter(year=year).order_by("-version").first()
    if found is not None:
        return found
    s = Standard.objects.create(
        year=year,
        name=f"{year}年度青年文明号量化考核标准",
        pass_mark=defaults.PASS_MARK,
        warning_mark=defaults.WARNING_MARK,
        star_down_mark=defaults.STAR_DOWN_MARK,
        created_by=actor.clerk,
    )
    StandardItem.objects.bulk_create(
        StandardItem(
            standard=s,
            position=i,
            label=str(d.label),
            points=d.points,
            source=d.source,
            metric=d.metric,
            evidence_required=d.evidence_required,
        )
        for i, d in enumerate(defaults.ITEMS, start=1)
    )
    return s


def _body_admin(case: ReviewCase) -> Actor | None:
    for user in administrators_of(case.body_id).order_by("id"):
        a = actor_for(user)
        if case.body_id in a.body_ids:
            return a
    return None


def _full(case: ReviewCase, source: str, share: float = 1.0) -> dict[int, str]:
    items = case.review.standard.items.filter(source=source)
    return {i.id: str(round(i.points * share)) for i in items}


def _assess(case: ReviewCase, outcome: str, share: float = 1.0) -> ReviewCase | None:
    body = _body_admin(case)
    if body is None:
        return None
    c = services.assess(body, case, scores=_full(case, Source.BODY, share))
    if c.proposed_outcome != outcome:
        c = services.assess(
            body,
            c,
            scores=_full(c, Source.BODY, share),
            proposed_outcome=outcome,
            note=NOTES.get(outcome, "实地核查情况良好，建议合格。"),
        )
    return c


def _cases(r: AnnualReview) -> list[ReviewCase]:
    return list(
        r.cases.exclude(status=CaseStatus.EXEMPT)
        .select_related("review__standard", "title", "collective")
        .order_by("id")
    )


def _last_year(actor: Actor, year: int) -> AnnualReview:
    r = services.open(
        actor,
        year=year,
        standard=standard_for(actor, year),
        self_report_due=datetime.date(year, 11, 30),
        assessment_due=datetime.date(year, 12, 20),
        note="按年度量化考核标准对全市有效的市级青年文明号进行复核。",
        today=datetime.date(year, 11, 1),
    )
    cases = _cases(r)
    # The demo manager's collective passes: its pages show this year's work.
    others = [c for c in cases if c.collective.name != MANAGER_COLLECTIVE]
    starred = [c for c in others if c.title.stars >= 1]
    plan: dict[int, str] = {}
    steps: list[tuple[str, list[ReviewCase]]] = [
        (Outcome.STAR_DOWN, starred),
        (Outcome.WARNING, others),
        (Outcome.REVOKE, others),
    ]
    for step, pool in steps:
        free = [c for c in pool if c.id not in plan]
        if free:
            plan[free[0].id] = step
    forced = next((c for c in others if c.id not in plan), None)
    for c in cases:
        outcome: str = plan.get(c.id, Outcome.PASS)
        if c is forced:
            services.force(
                actor, c, outcome=Outcome.PASS, reason="团委逾期未评价，经市级实地核查合格。"
            )
            continue
        if outcome == Outcome.STAR_DOWN:
            # The ladder: a star comes off only after a warning.
            sanctions.impose(
                actor,
                title=c.title,
                kind=SanctionKind.WARNING,
                basis=Basis.COMPLAINT,
                reason="群众投诉窗口服务态度问题，经核查属实。",
            )
        assessed = _assess(c, outcome, share=0.4 if outcome != Outcome.PASS else 1.0)
        if assessed is None:
            services.force(actor, c, outcome=outcome, reason=NOTES.get(outcome, "经核查合格。"))
        else:
            services.decide(actor, assessed, outcome=assessed.proposed_outcome)
    closed = services.close(actor, r, note="全部复核个案已确认。")
    _as_it_happened(closed, year)
    return closed


def _as_it_happened(r: AnnualReview, year: int) -> None:
    """Last year's campaign is replayed today through the services; its dates are put back
    where they belong — self-reports in November, decisions and what they did (sanctions, the
    exit) in December — so this year's revocation notice does not list last year's exit."""

    def at(month: int, day: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(year, month, day, 10))

    decided = at(12, 22)
    AnnualReview.objects.filter(pk=r.pk).update(opened_at=at(11, 1), closed_at=at(12, 23))
    r.cases.exclude(self_reported_at=None).update(self_reported_at=at(11, 20))
    r.cases.exclude(assessed_at=None).update(assessed_at=at(12, 10))
    r.cases.exclude(decided_at=None).update(decided_at=decided)
    titles = r.cases.values("title_id")
    Sanction.objects.filter(title_id__in=titles).update(proposed_at=decided, decided_at=decided)
    Exit.objects.filter(case__review=r).update(on=decided.date(), recorded_at=decided)
    Title.objects.filter(exit__case__review=r).update(ended_on=decided.date())


def _this_year(actor: Actor, today: datetime.date) -> AnnualReview:
    r = services.open(
        actor,
        year=today.year,
        standard=standard_for(actor, today.year),
        self_report_due=today + datetime.timedelta(days=14),
        assessment_due=today + datetime.timedelta(days=30),
        note="请各集体按时完成自评并上传佐证材料。",
    )
    cases = _cases(r)
    cases.sort(key=lambda c: c.collective.name != MANAGER_COLLECTIVE)
    for i, c in enumerate(cases[:4]):
        c = services.self_report(
            manager_of(c.collective),
            c,
            scores=_full(c, Source.SELF, 0.9),
            notes={},
        )
        if i == 0:
            _assess(c, Outcome.PASS)
    return r
