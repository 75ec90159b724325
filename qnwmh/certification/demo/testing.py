"""Demo data for certification: the round's knowledge test and its sittings — passes for the
recommended applications, a fail then a pass (a retake), a fail with a retake left, and one
sitting open now (the demo manager's collective, if it applies)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from qnwmh.access.models import RoleAssignment
from qnwmh.certification.models import (
    LIVE_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
)
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import Role, system_actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.knowledge.drawing import draw_paper
from qnwmh.knowledge.grading import grade
from qnwmh.knowledge.models import Attempt, AttemptStatus, Exam, Option
from qnwmh.knowledge.services import default_category_counts


def sit(
    exam: Exam,
    application: Application,
    *,
    right_share: float | None,
    started_at: datetime.datetime,
    rng: random.Random,
    fallback_taker: Any,
) -> Attempt:
    """A sitting by the collective's leader, drawn as the engine draws it. ``right_share``:
    the share of questions answered right, handed in (None: still open, half answered)."""
    leader = application.collective.members.current().filter(is_leader=True).first()
    number = Attempt.objects.filter(exam=exam, collective=application.collective).count() + 1
    seed = rng.getrandbits(62)
    paper = draw_paper(exam, seed)
    deadline = started_at + datetime.timedelta(minutes=exam.time_limit_minutes)
    manager = (
        RoleAssignment.objects.filter(
            collective=application.collective, role=Role.COLLECTIVE_MANAGER
        )
        .select_related("user")
        .first()
    )
    attempt = Attempt(
        exam=exam,
        # Demo collectives without an account of their own sat at the league's office.
        taker=manager.user if manager else fallback_taker,
        collective=application.collective,
        member=leader,
        candidate_name=leader.name if leader else application.collective.name,
        number=number,
        seed=seed,
        paper=paper,
        started_at=started_at,
        deadline=deadline,
    )
    share = 0.5 if right_share is None else right_share
    wrong = dict(
        Option.objects.filter(question_id__in=[i["q"] for i in paper], correct=False)
        .values_list("question_id", "id")
        .order_by("question_id", "-id")
    )
    key: dict[int, list[int]] = {}
    for qid, oid in Option.objects.filter(
        question_id__in=[i["q"] for i in paper], correct=True
    ).values_list("question_id", "id"):
        key.setdefault(qid, []).append(oid)
    answered = paper if right_share is not None else paper[: len(paper) // 2]
    right_count = round(share * len(paper))
    attempt.answers = {
        # A question without a wrong option is left blank to be answered wrong.
        str(item["q"]): sorted(key[item["q"]])
        if n < right_count
        else [wrong[item["q"]]]
        if item["q"] in wrong
        else []
        for n, item in enumerate(answered)
    }
    if right_share is not None:
        result = grade(attempt)
        attempt.status = AttemptStatus.SUBMITTED
        attempt.submitted_at = started_at + datetime.timedelta(minutes=exam.time_limit_minutes // 2)
        attempt.score, attempt.passed, attempt.per_category = (
            result.score,
            result.passed,
            result.per_category,
        )
    attempt.save()
    return attempt


def build(ctx: DemoContext) -> None:
    cert_round = CertificationRound.objects.filter(
        status__in=[RoundStatus.APPLICATIONS, RoundStatus.REVIEW]
    ).first()
    if cert_round is None:
        return
    exam = ensure_exam(system_actor(), cert_round)
    if not exam.category_counts:
        exam.category_counts = default_category_counts()
        exam.save(update_fields=["category_counts"])
    rng = random.Random(ctx.seed)
    now = timezone.now()
    if exam.closes_at <= now or exam.opens_at >= now:
        # Keep the demo's test open today, whatever the round's dates.
        exam.opens_at = now - datetime.timedelta(days=7)
        exam.closes_at = now + datetime.timedelta(days=21)
        exam.save(update_fields=["opens_at", "closes_at"])
    applications = list(
        Application.objects.filter(round=cert_round, status__in=LIVE_APPLICATION_STATUSES)
        .select_related("collective")
        .order_by("id")
    )
    taken = set(Attempt.objects.filter(exam=exam).values_list("collective_id", flat=True))
    manager = ctx.users.get("manager_demo")
    demo_collective_ids = set(
        RoleAssignment.objects.filter(user=manager, role=Role.COLLECTIVE_MANAGER).values_list(
            "collective_id", flat=True
        )
        if manager
        else []
    )
    fallback = ctx.users.get("city_admin")
    days_ago = lambda d: now - datetime.timedelta(days=d, hours=rng.randint(1, 8))  # noqa: E731
    others = [a for a in applications if a.collective_id not in taken]
    for n, application in enumerate(others):
        if application.status == ApplicationStatus.RECOMMENDED:
            if n % 4 == 0:
                sit(
                    exam,
                    application,
                    right_share=0.4,
                    started_at=days_ago(6),
                    rng=rng,
                    fallback_taker=fallback,
                )
            sit(
                exam,
                application,
                right_share=0.8 + 0.05 * (n % 4),
                started_at=days_ago(3),
                rng=rng,
                fallback_taker=fallback,
            )
        elif application.status == ApplicationStatus.SUBMITTED and n % 3 == 0:
            sit(
                exam,
                application,
                right_share=0.5,
                started_at=days_ago(2),
                rng=rng,
                fallback_taker=fallback,
            )
    # One sitting open now: the demo manager's collective when it applies, else another.
    open_for = next(
        (a for a in others if a.collective_id in demo_collective_ids),
        next((a for a in others if a.status == ApplicationStatus.SUBMITTED), None),
    )
    if (
        open_for is not None
        and not Attempt.objects.filter(
            exam=exam, collective=open_for.collective, status=AttemptStatus.OPEN
        ).exists()
    ):
        sit(
            exam,
            open_for,
            right_share=None,
            started_at=now - datetime.timedelta(minutes=5),
            rng=rng,
            fallback_taker=fallback,
        )
