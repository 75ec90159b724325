"""What the home page asks of reviewers (invitations to answer, work due) and of city staff
(recommended applications still short of reviewers)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    AssignmentStatus,
    RoundStatus,
)
from qnwmh.certification.selectors import open_assignments_of
from qnwmh.core.actor import Actor
from qnwmh.core.home import Task


def tasks(actor: Actor) -> list[Task]:
    out: list[Task] = []
    if actor.is_reviewer:
        out += _reviewer_tasks(actor)
    if actor.is_city_admin:
        out += _city_tasks()
    return out


def _reviewer_tasks(actor: Actor) -> list[Task]:
    counts = open_assignments_of(actor).aggregate(
        invited=Count("id", filter=Q(status=AssignmentStatus.INVITED)),
        accepted=Count("id", filter=Q(status=AssignmentStatus.ACCEPTED)),
    )
    url = reverse("certification:review_home")
    return [
        Task(
            title=_("待确认的评审邀请"),
            count=counts["invited"],
            url=url,
            tone="warn" if counts["invited"] else "ok",
        ),
        Task(title=_("评审任务"), count=counts["accepted"], url=url, tone="info"),
    ]


def _city_tasks() -> list[Task]:
    """One row per round under review with applications still short of reviewers."""
    from qnwmh.certification.models import CertificationRound

    out = []
    for rnd in CertificationRound.objects.filter(status=RoundStatus.REVIEW).select_related("cycle"):
        per_app = int(rnd.cycle.rule("reviewers_per_application"))
        short = (
            Application.objects.filter(round=rnd, status=ApplicationStatus.RECOMMENDED)
            .annotate(
                live=Count(
                    "assignments", filter=Q(assignments__status__in=LIVE_ASSIGNMENT_STATUSES)
                )
            )
            .filter(live__lt=per_app)
            .count()
        )
        if short:
            out.append(
                Task(
                    title=_("待分配评委的申报"),
                    count=short,
                    url=reverse("certification:panels", args=[rnd.code]),
                    tone="warn",
                )
            )
    return out
