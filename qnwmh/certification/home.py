"""What the home page asks of reviewers about scoring: sheets still to submit (both sets of
each accepted assignment in a round under review), the ones a chair sent back first."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.certification.models import AssignmentStatus, ScoreSet, SheetStatus
from qnwmh.certification.selectors import open_assignments_of
from qnwmh.core.actor import Actor
from qnwmh.core.home import Task


def tasks(actor: Actor) -> list[Task]:
    if not actor.is_reviewer:
        return []
    counts = (
        open_assignments_of(actor)
        .filter(status=AssignmentStatus.ACCEPTED)
        .aggregate(
            assignments=Count("id", distinct=True),
            submitted=Count("sheets", filter=Q(sheets__status=SheetStatus.SUBMITTED)),
            reopened=Count("sheets", filter=Q(sheets__status=SheetStatus.REOPENED)),
        )
    )
    if not counts["assignments"]:
        return []
    todo = counts["assignments"] * len(ScoreSet.values) - counts["submitted"]
    url = reverse("certification:my_sheets")
    out = [
        Task(
            title=_("待提交的评分表"),
            count=todo,
            url=url,
            tone="warn" if todo else "ok",
        )
    ]
    if counts["reopened"]:
        out.append(
            Task(title=_("组长退回重评的评分表"), count=counts["reopened"], url=url, tone="warn")
        )
    return out
