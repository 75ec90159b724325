"""Demo data of the sanctions part, through the services, on city titles no other part's demo
touched: a warning whose rectification the collective reported and passed (the demo manager's
own collective when it holds a free title); a
star down; a rectification missed, whose revocation proposal the city confirmed (the title
exits, its plaque recovered); an immediate revocation for press exposure; a body's pending
proposal; a rectification in progress and one overdue (which the deadlines command would mark
missed tonight). Deadlines and times are moved into the past afterwards, as it happened."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, F, OuterRef

from qnwmh.access.actor import actor_for
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.demo_context import DemoContext
from qnwmh.oversight.demo.people import manager_of
from qnwmh.oversight.models import (
    Basis,
    Exit,
    Rectification,
    ReviewCase,
    RevocationCategory,
    Sanction,
    SanctionKind,
    Visit,
)
from qnwmh.oversight.services import rectification as rect
from qnwmh.oversight.services import sanctions
from qnwmh.oversight.services.exits_plaque import record_plaque

DAY = datetime.timedelta(days=1)


def _free_titles() -> Iterator[Title]:
    """Active city titles no other oversight demo has sanctioned, visited or reviewed."""
    busy = [
        Exists(model.objects.filter(title_id=OuterRef("pk")))
        for model in (Sanction, Rectification, Visit, Exit)
    ]
    qs = Title.objects.filter(level=Level.CITY, status=TitleStatus.ACTIVE)
    for condition in busy:
        qs = qs.exclude(condition)
    # Re-review cases that ended in a sanction are covered above; open ones leave it free.
    qs = qs.exclude(Exists(ReviewCase.objects.filter(title_id=OuterRef("pk"), outcome__gt="")))
    yield from qs.select_related("collective").order_by("id")


def build(ctx: DemoContext) -> None:
    city_user = ctx.users.get("city_admin")
    manager_user = ctx.users.get("manager_demo")
    if city_user is None:
        return
    city = actor_for(city_user, "127.0.0.1")
    titles = list(_free_titles())
    own = next((t for t in titles if manager_user and _manages(manager_user, t)), None)
    others = [t for t in titles if t != own and t.stars >= 1]
    if own is not None or others:
        rectified = own if own is not None else others.pop()
        _warning_then_rectified(ctx, city, rectified)
    plan = [_star_down, _missed_then_revoked, _press_revocation, _pending, _in_progress, _overdue]
    for step, title in zip(plan, others, strict=False):
        step(ctx, city, title)


def _manages(user: Any, title: Title) -> bool:
    return title.collective_id in actor_for(user, "127.0.0.1").collective_ids


def _body_admin(ctx: DemoContext, title: Title) -> Any:
    for user in ctx.users.values():
        actor = actor_for(user, "127.0.0.1")
        if actor.is_body_admin and title.collective.body_id in actor.body_ids:
            return actor
    return None


def _warning_then_rectified(ctx: DemoContext, city: Any, title: Title) -> None:
    s = sanctions.impose(
        city,
        title=title,
        kind=SanctionKind.WARNING,
        basis=Basis.COMPLAINT,
        reason="群众投诉窗口午间无人值守，经核查属实。",
    )
    r = rect.order(
        city,
        title=title,
        basis=Basis.COMPLAINT,
        sanction=s,
        requirements="落实午间轮值制度，在窗口公示值班表和监督电话。",
    )
    rect.report(
        manager_of(title.collective), r, text="已建立午间轮值制度，值班表和监督电话已在窗口公示。"
    )
    rect.verify(city, r, passed=True, note="经回访，午间有人值守，整改到位。")
    _backdate(s, r, days=45)


def _star_down(ctx: DemoContext, city: Any, title: Title) -> None:
    first = sanctions.impose(
        city,
        title=title,
        kind=SanctionKind.WARNING,
        basis=Basis.SPOT_CHECK,
        reason="抽检发现创建台账缺失三个月。",
    )
    Sanction.objects.filter(pk=first.pk).update(
        proposed_at=F("proposed_at") - 120 * DAY, decided_at=F("decided_at") - 120 * DAY
    )
    sanctions.impose(
        city,
        title=title,
        kind=SanctionKind.STAR_DOWN,
        basis=Basis.SPOT_CHECK,
        reason="警告后再次抽检，服务承诺仍未公示。",
    )


def _missed_then_revoked(ctx: DemoContext, city: Any, title: Title) -> None:
    r = rect.order(
        city,
        title=title,
        basis=Basis.SPOT_CHECK,
        requirements="整改服务流程，提交整改报告及照片。",
    )
    # The deadline passed without a report; the nightly command marked it missed.
    Rectification.objects.filter(pk=r.pk).update(
        due_on=ctx.today - 10 * DAY, ordered_at=F("ordered_at") - 40 * DAY
    )
    r.refresh_from_db()
    rect.miss(r, today=ctx.today - 9 * DAY)
    proposal = Sanction.objects.get(rectification=r)
    sanctions.confirm(city, proposal, note="逾期未整改，同意撤销。")
    record_plaque(
        city, Exit.objects.get(sanction=proposal), on=ctx.today, note="已由镇团委收回牌匾。"
    )


def _press_revocation(ctx: DemoContext, city: Any, title: Title) -> None:
    sanctions.impose(
        city,
        title=title,
        kind=SanctionKind.REVOCATION,
        category=RevocationCategory.PRESS_EXPOSURE,
        basis=Basis.PRESS,
        basis_note="中山日报 2026 年 3 月报道，经核查属实。",
        reason="窗口工作人员态度恶劣被媒体曝光，经核查属实。",
    )


def _pending(ctx: DemoContext, city: Any, title: Title) -> None:
    body = _body_admin(ctx, title) or city
    sanctions.propose(
        body,
        title=title,
        kind=SanctionKind.WARNING,
        basis=Basis.COMPLAINT,
        reason="近两月两次投诉办事拖延，经核查属实，建议警告提醒。",
    )


def _in_progress(ctx: DemoContext, city: Any, title: Title) -> None:
    rect.order(
        _body_admin(ctx, title) or city,
        title=title,
        basis=Basis.REVIEW_CASE,
        requirements="按复核意见补齐每月开放周活动记录。",
    )


def _overdue(ctx: DemoContext, city: Any, title: Title) -> None:
    r = rect.order(
        city, title=title, basis=Basis.OTHER, requirements="更新服务承诺公示牌，提交照片。"
    )
    Rectification.objects.filter(pk=r.pk).update(
        due_on=ctx.today - 3 * DAY, ordered_at=F("ordered_at") - 33 * DAY
    )


def _backdate(s: Sanction, r: Rectification, *, days: int) -> None:
    shift = datetime.timedelta(days=days)
    Sanction.objects.filter(pk=s.pk).update(
        proposed_at=F("proposed_at") - shift, decided_at=F("decided_at") - shift
    )
    Rectification.objects.filter(pk=r.pk).update(
        ordered_at=F("ordered_at") - shift,
        due_on=F("due_on") - shift,
        reported_at=F("reported_at") - shift + 20 * DAY,
        verified_at=F("verified_at") - shift + 25 * DAY,
    )
