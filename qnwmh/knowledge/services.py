"""Writes over the question bank, exams and attempts (one function per transition)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor
from qnwmh.knowledge.models import Exam


@transaction.atomic
def create_exam(
    actor: Actor,
    *,
    name: str,
    purpose: str,
    owner_code: str = "",
    category_counts: dict[str, int] | None = None,
    time_limit_minutes: int,
    pass_score: int,
    retakes: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> Exam:
    """An exam for another app's object (``purpose`` names it, e.g. ``certification.round``)."""
    exam = Exam.objects.create(
        name=name,
        purpose=purpose,
        owner_code=owner_code,
        category_counts=category_counts or {},
        time_limit_minutes=time_limit_minutes,
        pass_score=pass_score,
        retakes=retakes,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor.user,
    )
    data: dict[str, Any] = {"purpose": purpose, "owner": owner_code}
    log_action(actor, exam, "knowledge.exam.created", data=data)
    return exam
