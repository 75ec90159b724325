"""Training's use of the knowledge test: each session has one exam; the managers of the
collectives whose leader checked in sit it, the leader as the sitter.

Registered with the knowledge app in ``TrainingConfig.ready`` (``register``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qnwmh.core.actor import Actor
from qnwmh.knowledge import purposes
from qnwmh.knowledge.models import Exam
from qnwmh.knowledge.services import create_exam
from qnwmh.training.models import Invitation, Session

# Check-in opens this long before a session starts and closes when it ends.
CHECKIN_EARLY = datetime.timedelta(minutes=30)

PURPOSE = "training.session"
# The test stays open this long after the session ends, for leaders who sit it at home.
TEST_DAYS_AFTER = 7


def candidates(actor: Actor, exam: Exam) -> list[purposes.Candidacy]:
    """The actor's collectives checked in at the exam's session; the sitter is the leader
    who was invited."""
    if not actor.collective_ids:
        return []
    invitations = (
        Invitation.objects.filter(
            session__exam=exam,
            collective_id__in=actor.collective_ids,
            checked_in_at__isnull=False,
        )
        .select_related("collective", "member")
        .order_by("collective_id")
    )
    return [purposes.Candidacy(i.collective, [i.member]) for i in invitations]


def create_session_exam(actor: Actor, session: Session) -> Exam:
    """The session's test: open from when check-in opens (only checked-in leaders may sit,
    so in effect once arrived: a leader may sit it on the phone at the session's end) until ``TEST_DAYS_AFTER`` days after it ends; pass mark,
    retakes and minutes from the cycle's frozen rules."""
    cycle: Any = session.cycle
    return create_exam(
        actor,
        name=_("%(title)s测试") % {"title": session.title},
        purpose=PURPOSE,
        owner_code=session.code,
        time_limit_minutes=cycle.rule("knowledge_minutes", 30),
        pass_score=cycle.rule("knowledge_pass_score", 60),
        retakes=cycle.rule("knowledge_retakes", 1),
        opens_at=session.starts_at - CHECKIN_EARLY,
        closes_at=session.ends_at + datetime.timedelta(days=TEST_DAYS_AFTER),
    )


def register() -> None:
    purposes.register(PURPOSE, candidates=candidates, label=gettext_lazy("领导轮训"))
