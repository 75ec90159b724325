"""What the home page asks of a manager about knowledge tests: an open test still to pass."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Task
from qnwmh.knowledge import purposes
from qnwmh.knowledge.models import Exam
from qnwmh.knowledge.selectors import results_for


def tasks(actor: Actor) -> list[Task]:
    if not actor.collective_ids:
        return []
    now = timezone.now()
    out = []
    # Few exams are open at once; each owner's hook answers for the actor.
    for exam in Exam.objects.filter(opens_at__lte=now, closes_at__gt=now):
        ids = [c.collective.pk for c in purposes.candidates_for(actor, exam) if c.collective]
        if not ids:
            continue
        pending = [r for r in results_for(exam, ids).values() if not r.passed and r.attempts_left]
        if pending:
            out.append(
                Task(
                    title=_("待参加的知识测试"),
                    detail=exam.name,
                    count=len(pending),
                    url=reverse("knowledge:exam", args=[exam.code]),
                    tone="warn",
                )
            )
    return out
