"""Nominations upward (推报): the provincial round the city nominates to, nominating a city
title within the round's quota, withdrawing it, and recording the province's answer.

Each act is one transaction with one audit entry; the round's row is locked while a quota or a
position is counted, so two clerks cannot both take the last place. A granted nomination
records the provincial title through ``collectives.services.title_award`` in the same
transaction; the city title stays, and while the higher title is active it is exempt from the
city's re-review (``selectors.nomination.exempt_from_city_review``). The collective's managers
and its body are told after commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards.models import (
    NOMINATION_TRANSITIONS,
    Nomination,
    NominationRound,
    NominationStatus,
)
from qnwmh.awards.selectors.nomination import (
    LIVE,
    free_position,
    ineligibility,
    min_title_years,
)
from qnwmh.awards.services import nomination_notices as notices
from qnwmh.collectives.models import Collective, Level, Title
from qnwmh.collectives.services import title_award
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text, clean_or_raise

ROUND_FIELDS = ("year", "name", "quota", "deadline", "basis")


# Rounds -----------------------------------------------------------------------------------------


def _check_round(values: dict[str, Any]) -> None:
    if not str(values.get("name") or "").strip():
        raise DomainError(_("请填写名称。"), field="name")
    if not values.get("quota") or int(values["quota"]) < 1:
        raise DomainError(_("推报名额至少为 1 个。"), field="quota")
    year = values.get("year")
    if not year or not 2000 <= int(year) <= 2100:
        raise DomainError(_("请填写正确的年度。"), field="year")
    deadline = values.get("deadline")
    if deadline is None:
        raise DomainError(_("请填写报送截止日期。"), field="deadline")
    if not 2000 <= deadline.year <= 2100:
        raise DomainError(_("请填写正确的报送截止日期。"), field="deadline")
    for name in ("name", "basis"):
        check_text(str(values.get(name) or ""), field=name)


@transaction.atomic
def round_create(actor: Actor, *, values: dict[str, Any]) -> NominationRound:
    """A provincial round with the quota the province gave the city."""
    require(actor, "awards.nominate")
    values = {k: values[k] for k in ROUND_FIELDS if k in values}
    _check_round(values)
    r = NominationRound(created_by=actor.clerk, **values)
    clean_or_raise(r, exclude=["created_by", "code"])
    r.save()
    log_action(actor, r, "awards.nomination_round.created", after=snapshot(r))
    return r


@transaction.atomic
def round_update(
    actor: Actor, *, round: NominationRound, values: dict[str, Any]
) -> NominationRound:
    """Change the round's particulars; the quota never below the places already taken."""
    require(actor, "awards.nominate")
    r = lock(NominationRound, round.pk)
    refused = set(values) - set(ROUND_FIELDS)
    if refused:
        raise DomainError(_("只能修改年度、名称、名额、截止日期和依据文件。"))
    before = snapshot(r)
    for k, v in values.items():
        setattr(r, k, v)
    _check_round({k: getattr(r, k) for k in ROUND_FIELDS})
    taken = r.nominations.filter(status__in=LIVE).count()
    if r.quota < taken:
        raise DomainError(
            _("已推报 %(n)s 个，名额不能少于 %(n)s 个。") % {"n": taken}, field="quota"
        )
    clean_or_raise(r, exclude=["created_by", "code"])
    r.save()
    log_action(actor, r, "awards.nomination_round.updated", before=before, after=snapshot(r))
    return r


# Nominations ------------------------------------------------------------------------------------


def _lock_round(round_id: int) -> NominationRound:
    """The round's row, locked: what keeps the quota and the positions under concurrent
    nominations (a named helper, so the race test can show what happens without it)."""
    return lock(NominationRound, round_id)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _check_position(r: NominationRound, position: int) -> None:
    if not 1 <= position <= r.quota:
        raise DomainError(
            _("推报排序须在 1 到 %(quota)s 之间。") % {"quota": r.quota}, field="position"
        )
    if r.nominations.filter(status__in=LIVE, position=position).exists():
        raise DomainError(_("排序第 %(p)s 位已有推报对象。") % {"p": position}, field="position")


@transaction.atomic
def nominate(
    actor: Actor,
    *,
    round: NominationRound,
    title: Title,
    recommendation: str,
    position: int | None = None,
    today: datetime.date | None = None,
) -> Nomination:
    """Put a city title on the round's list. Refused — with the reason, nothing changed — for
    a title held too briefly by the deadline, a collective already holding a higher title or
    already nominated, a full quota, a taken position, or after the deadline. ``today`` is for
    replaying history (the demo); pages and the API never pass it."""
    require(actor, "awards.nominate")
    replayed = today
    today = today or timezone.localdate()
    r = _lock_round(round.pk)
    # The collective's row is the lock two rounds share (one pending nomination at a time).
    lock(Collective, title.collective_id)
    title = Title.objects.select_related("collective").get(pk=title.pk)
    if today > r.deadline:
        raise DomainError(
            _("报送截止日期（%(d)s）已过，不能再推报。") % {"d": r.deadline.isoformat()}
        )
    recommendation = recommendation.strip()
    if not recommendation:
        raise DomainError(_("请填写推荐意见。"), field="recommendation")
    check_text(recommendation, field="recommendation")
    years = min_title_years()
    reason = ineligibility(r, title, years=years)
    if reason is not None:
        raise DomainError(reason, field="title")
    taken = r.nominations.filter(status__in=LIVE).count()
    if taken >= r.quota:
        raise DomainError(
            _("推报名额已满（%(quota)s 个），不能再推报。") % {"quota": r.quota},
            code="quota_full",
        )
    position = free_position(r) if position is None else position
    _check_position(r, position)
    n = Nomination.objects.create(
        round=r,
        title=title,
        collective=title.collective,
        position=position,
        recommendation=recommendation,
        nominated_by=actor.clerk,
        nominated_at=timezone.now() if replayed is None else _noon(replayed),
    )
    log_action(
        actor,
        n,
        "awards.nomination.nominated",
        after=snapshot(n),
        data={"min_title_years": years, "title_awarded_on": title.awarded_on},
    )
    transaction.on_commit(lambda: notices.nominated(actor, n))
    return n


@transaction.atomic
def withdraw(actor: Actor, *, nomination: Nomination, reason: str) -> Nomination:
    """Take a nomination off the list before the province answers; its place is free again."""
    require(actor, "awards.nominate")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写撤回原因。"), field="reason")
    check_text(reason, field="reason")
    _lock_round(nomination.round_id)
    n = lock(Nomination, nomination.pk)
    before = snapshot(n)
    NOMINATION_TRANSITIONS.move(n, NominationStatus.WITHDRAWN)
    n.outcome_note = reason[:300]
    n.outcome_on = timezone.localdate()
    n.save(update_fields=["status", "outcome_note", "outcome_on", "updated_at"])
    log_action(actor, n, "awards.nomination.withdrawn", before=before, after=snapshot(n))
    transaction.on_commit(lambda: notices.withdrawn(actor, n))
    return n


@transaction.atomic
def record_outcome(
    actor: Actor,
    *,
    nomination: Nomination,
    granted: bool,
    outcome_on: datetime.date,
    note: str = "",
    session_no: int | None = None,
) -> Nomination:
    """The province's answer. Granted: the provincial title is recorded (level provincial, the
    round's year, awarded on ``outcome_on``; ``session_no`` defaults to the city title's) and
    the city title stays. Not granted: the reason is required."""
    require(actor, "awards.nominate")
    note = note.strip()
    check_text(note, field="note")
    if outcome_on > timezone.localdate():
        raise DomainError(_("结果日期不能晚于今天。"), field="outcome_on")
    if not granted and not note:
        raise DomainError(_("请填写未获省级称号的原因。"), field="note")
    n = lock(Nomination, nomination.pk)
    target = NominationStatus.GRANTED if granted else NominationStatus.NOT_GRANTED
    NOMINATION_TRANSITIONS.check(n, target)
    if outcome_on < timezone.localdate(n.nominated_at):
        raise DomainError(_("结果日期不能早于推报日期。"), field="outcome_on")
    before = snapshot(n)
    r = NominationRound.objects.get(pk=n.round_id)
    if granted:
        city = Title.objects.get(pk=n.title_id)
        n.provincial_title = title_award(
            actor,
            collective=Collective.objects.get(pk=n.collective_id),
            level=Level.PROVINCIAL,
            session_no=session_no or city.session_no,
            year=r.year,
            awarded_on=outcome_on,
        )
    NOMINATION_TRANSITIONS.move(n, target)
    n.outcome_on = outcome_on
    n.outcome_note = note[:300]
    n.save(update_fields=["status", "outcome_on", "outcome_note", "provincial_title", "updated_at"])
    log_action(
        actor,
        n,
        "awards.nomination.granted" if granted else "awards.nomination.not_granted",
        before=before,
        after=snapshot(n),
    )
    transaction.on_commit(lambda: notices.outcome(actor, n))
    return n
