"""Builders for leader training: an open cycle in which the world's collectives are creating
(both titled), a question bank, and a session organised now-ish."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.creation import membership
from qnwmh.cycles.models import Cycle
from qnwmh.training import services
from qnwmh.training.models import Session
from tests import factories as f
from tests import factories_cycles as fc
from tests import knowledge_builders as kb


def creating_world(w: Any) -> Cycle:
    """An open cycle, the other collective titled too, both creating; a two-category bank."""
    if not hasattr(w, "_training_cycle"):
        cycle = fc.cycle()
        if not w.other_collective.titles.exists():
            f.title(w.other_collective)
        for c in (w.collective, w.other_collective):
            membership.refresh(c.pk)
        kb.category(questions=4)
        kb.category(questions=4)
        w._training_cycle = cycle
    cycle: Cycle = w._training_cycle
    return cycle


def session(
    w: Any,
    *,
    role: str = "city_admin",
    organiser: Any = None,
    starts_in: datetime.timedelta = datetime.timedelta(minutes=10),
    hours: int = 2,
    title: str = "号长轮训",
) -> Session:
    cycle = creating_world(w)
    starts = timezone.now() + starts_in
    return services.session_create(
        w.actor(role),
        organiser=organiser or w.city,
        cycle=cycle,
        title=title,
        place="市青少年活动中心",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
    )


def matrix_session(w: Any) -> Session:
    """One session (city-organised, window open) kept on the world for the matrix rows."""
    if not hasattr(w, "_training_session"):
        w._training_session = session(w)
    s: Session = w._training_session
    return s


def matrix_passed(w: Any) -> Any:
    """The world's collective checked in at the matrix session and passed its test."""
    from qnwmh.knowledge import services as knowledge
    from tests import knowledge_builders as kb

    s = matrix_session(w)
    if not hasattr(w, "_training_passed"):
        manager = w.actor("manager")
        invitation = services.check_in(manager, session=s)
        attempt = knowledge.attempt_start(
            manager, exam=s.exam, collective=w.collective, member=w.member
        )
        answers = {str(item["q"]): kb.key(item["q"]) for item in attempt.paper}
        knowledge.attempt_submit(manager, attempt=attempt, answers=answers)
        w._training_passed = invitation
    return w._training_passed
