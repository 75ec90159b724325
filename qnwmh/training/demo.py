"""Demo: the city's leader training for the open cycle, under way now (so the demo manager can
check in by QR and sit the test): most invited leaders checked in, some not, and the test sat
and passed by two of the checked-in collectives (one certificate to print)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.core.demo_context import DemoContext
from qnwmh.creation.tallies import rebuild
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Phase, Registration
from qnwmh.knowledge.drawing import draw_paper
from qnwmh.knowledge.grading import grade
from qnwmh.knowledge.models import Attempt, AttemptStatus, Option
from qnwmh.knowledge.services import default_category_counts
from qnwmh.orgs.models import Organisation
from qnwmh.training import services
from qnwmh.training.models import Invitation, Session


def _sit_right(session: Session, invitation: Invitation, taker: Any, rng: Any) -> Attempt:
    """A sitting answered all right and handed in, drawn as the engine draws it."""
    exam: Any = session.exam
    seed = rng.getrandbits(62)
    paper = draw_paper(exam, seed)
    ids = [item["q"] for item in paper]
    key: dict[int, list[int]] = {}
    for qid, oid in Option.objects.filter(question_id__in=ids, correct=True).values_list(
        "question_id", "id"
    ):
        key.setdefault(qid, []).append(oid)
    started = timezone.now() - datetime.timedelta(minutes=20)
    attempt = Attempt(
        exam=exam,
        taker=taker,
        collective=invitation.collective,
        member=invitation.member,
        candidate_name=invitation.leader_name,
        seed=seed,
        paper=paper,
        started_at=started,
        deadline=started + datetime.timedelta(minutes=exam.time_limit_minutes),
        answers={str(q): sorted(key.get(q, [])) for q in ids},
    )
    result = grade(attempt)
    attempt.status, attempt.submitted_at = (
        AttemptStatus.SUBMITTED,
        started + datetime.timedelta(minutes=10),
    )
    attempt.score, attempt.passed, attempt.per_category = (
        result.score,
        result.passed,
        result.per_category,
    )
    attempt.save()
    return attempt


def _cycle_for(ctx: DemoContext) -> Cycle | None:
    """A cycle under way in which the demo manager's collective is registered (so the visitor
    can check its leader in by QR), else the cycles demo's own."""
    manager = ctx.users.get("manager_demo")
    mine = manager.assignments.values("collective_id") if manager else []
    open_cycles = Cycle.objects.exclude(phase__in=[Phase.DRAFT, Phase.CLOSED])
    found = (
        open_cycles.filter(
            id__in=Registration.objects.filter(
                collective_id__in=mine, status__in=COUNTED_STATUSES
            ).values("cycle_id")
        )
        .order_by("-session_no")
        .first()
    )
    return found or ctx.extra.get("cycle") or open_cycles.first()


def build(ctx: DemoContext) -> None:
    cycle = _cycle_for(ctx)
    city_user = ctx.users.get("city_admin")
    city = Organisation.objects.filter(kind=Organisation.Kind.CITY).first()
    if cycle is None or city_user is None or city is None:
        return
    # The builders before bulk-create titles and registrations; who must attend is read from
    # creation's membership rows, so derive this cycle's now (load_demo derives all at the end).
    rebuild(cycle.pk)
    now = timezone.now().replace(second=0, microsecond=0)
    session = services.session_create(
        actor_for(city_user, "127.0.0.1"),
        organiser=city,
        cycle=cycle,
        title="青年文明号号长轮训（第一期）",
        topic="学习《中山市青年文明号创建管理实施意见》：创建标准、创建日志与开放周、动态管理。",
        place="中山市青少年活动中心三楼报告厅",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=3),
    )
    exam: Any = session.exam
    if not exam.category_counts:
        exam.category_counts = default_category_counts()
        exam.save(update_fields=["category_counts"])
    manager = ctx.users.get("manager_demo")
    mine = set(manager.assignments.values_list("collective_id", flat=True) if manager else [])
    invitations = [i for i in session.invitations.order_by("id") if i.collective_id not in mine]
    # About two in three checked in; the demo manager's collective is left for the visitor.
    checked = [i for n, i in enumerate(invitations) if n % 3 != 2]
    for n, i in enumerate(checked):
        i.checked_in_at = session.starts_at - datetime.timedelta(minutes=20 - n % 15)
        i.checked_in_by = city_user
        i.save(update_fields=["checked_in_at", "checked_in_by"])
    for i in checked[:2]:
        _sit_right(session, i, city_user, ctx.rng)
    ctx.extra["training_session"] = session
