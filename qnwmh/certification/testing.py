"""Certification's use of the knowledge test: each round has one exam, and the managers of
collectives with a live application in the round sit it for their collective.

Registered with the knowledge app in ``CertificationConfig.ready`` (``register``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qnwmh.audit.services import log_action
from qnwmh.certification.models import LIVE_APPLICATION_STATUSES, Application, CertificationRound
from qnwmh.collectives.models import Collective, Member
from qnwmh.core.actor import Actor
from qnwmh.core.locking import lock
from qnwmh.knowledge import purposes
from qnwmh.knowledge.models import Exam
from qnwmh.knowledge.services import create_exam
from qnwmh.programme.models import KnowledgeTaker

PURPOSE = "certification.round"


def candidates(actor: Actor, exam: Exam) -> list[purposes.Candidacy]:
    """The actor's managed collectives with a live application in the exam's round; the
    sitter is the current leader (号长), or any current member the collective names when
    the cycle's rules say ``knowledge_taker == "members"``."""
    if not actor.collective_ids:
        return []
    cert_round = (
        CertificationRound.objects.filter(code=exam.owner_code).select_related("cycle").first()
    )
    if cert_round is None:
        return []
    collective_ids = Application.objects.filter(
        round=cert_round,
        collective_id__in=actor.collective_ids,
        status__in=LIVE_APPLICATION_STATUSES,
    ).values("collective_id")
    collectives = list(Collective.objects.filter(id__in=collective_ids).order_by("id"))
    if not collectives:
        return []
    everyone = cert_round.cycle.rule("knowledge_taker") == KnowledgeTaker.MEMBERS
    members: dict[int, list[Member]] = {c.pk: [] for c in collectives}
    roster = Member.objects.current().filter(collective__in=collectives)
    if not everyone:
        roster = roster.filter(is_leader=True)
    for m in roster.order_by("-is_leader", "name", "id"):
        members[m.collective_id].append(m)
    # A collective without a current leader on its roster: the manager sits in person.
    return [purposes.Candidacy(c, members[c.pk]) for c in collectives]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def exam_window(cert_round: CertificationRound) -> tuple[datetime.datetime, datetime.datetime]:
    """The round's test dates (inclusive) as times: from the first day's start to the end of
    the last day."""
    return (
        _start_of(cert_round.test_opens_on),
        _start_of(cert_round.test_closes_on + datetime.timedelta(days=1)),
    )


@transaction.atomic
def ensure_exam(actor: Actor, cert_round: CertificationRound) -> Exam:
    """The round's exam, created once (pass mark, retakes and minutes from the cycle's
    frozen rules; window from the round's test dates). Calling it again returns it."""
    given, cert_round = cert_round, lock(CertificationRound, cert_round.pk)
    if cert_round.exam_id is not None:
        given.exam = cert_round.exam
        return cert_round.exam  # type: ignore[return-value]
    cycle: Any = cert_round.cycle
    opens_at, closes_at = exam_window(cert_round)
    exam = create_exam(
        actor,
        name=_("%(round)s知识测试") % {"round": cert_round},
        purpose=PURPOSE,
        owner_code=cert_round.code,
        time_limit_minutes=cycle.rule("knowledge_minutes", 30),
        pass_score=cycle.rule("knowledge_pass_score", 60),
        retakes=cycle.rule("knowledge_retakes", 1),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    cert_round.exam = given.exam = exam  # the caller's copy too, so its next save keeps it
    cert_round.save(update_fields=["exam", "updated_at"])
    return exam


@transaction.atomic
def sync_exam_window(actor: Actor, cert_round: CertificationRound) -> Exam | None:
    """After the round's test dates change: the exam opens and closes with them (sittings
    already started keep their deadline)."""
    exam_id = CertificationRound.objects.filter(pk=cert_round.pk).values_list("exam_id").get()[0]
    if exam_id is None:
        return None
    exam = lock(Exam, exam_id)
    opens_at, closes_at = exam_window(cert_round)
    if (exam.opens_at, exam.closes_at) == (opens_at, closes_at):
        return exam
    before = {"opens_at": exam.opens_at.isoformat(), "closes_at": exam.closes_at.isoformat()}
    exam.opens_at, exam.closes_at = opens_at, closes_at
    exam.save(update_fields=["opens_at", "closes_at", "updated_at"])
    after = {"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()}
    log_action(actor, exam, "knowledge.exam.updated", before=before, after=after)
    return exam


def register() -> None:
    purposes.register(PURPOSE, candidates=candidates, label=gettext_lazy("评选认定"))
