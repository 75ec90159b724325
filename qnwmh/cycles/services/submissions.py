"""The body's list (推报团市委): submitted to the city, accepted (registrations filed) or
returned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.cycles import counts as registration_counts
from qnwmh.cycles.models import (
    SUBMISSION_TRANSITIONS,
    BodySubmission,
    Cycle,
    Phase,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.notices import cycle_msg
from qnwmh.cycles.services.common import _need_reason, _registration_url
from qnwmh.cycles.services.quotas import _lock_quota
from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify
from qnwmh.orgs.models import Organisation


def _submission(cycle: Cycle, body_id: int) -> BodySubmission:
    sub, _created = BodySubmission.objects.get_or_create(cycle=cycle, body_id=body_id)
    return lock(BodySubmission, sub.pk)


@transaction.atomic
def submission_submit(actor: Actor, *, cycle: Cycle, body: Organisation) -> BodySubmission:
    require(actor, "cycles.review", body)
    if cycle.phase not in (Phase.REGISTRATION_OPEN, Phase.REGISTRATION_CLOSED):
        raise DomainError(_("本周期当前不能报送名单。"))
    _lock_quota(cycle.pk, body.pk)
    sub = _submission(cycle, body.pk)
    SUBMISSION_TRANSITIONS.check(
        sub, SubmissionStatus.SUBMITTED, message=_("名单当前状态为“%(from)s”，不能报送。")
    )
    regs = Registration.objects.filter(cycle=cycle, body=body)
    if regs.filter(status=RegistrationStatus.SUBMITTED).exists():
        raise DomainError(_("尚有待初评的报备，请先完成初评再报送。"))
    accepted = regs.filter(status=RegistrationStatus.ACCEPTED).count()
    if not accepted:
        raise DomainError(_("没有初评通过的报备，无法报送。"))
    before = snapshot(sub, ["status"])
    SUBMISSION_TRANSITIONS.move(sub, SubmissionStatus.SUBMITTED)
    sub.submitted_at = timezone.now()
    sub.reason = ""
    sub.save()
    log_action(
        actor,
        sub,
        "cycles.submission.submitted",
        before=before,
        after=snapshot(sub, ["status"]),
        data={"accepted": accepted},
    )
    notify(
        city_admins(),
        link=reverse("cycles:submissions", args=[cycle.code]),
        code="cycles.submission.submitted",
        params={"b": body.name, "cycle": cycle_msg(cycle), "n": accepted},
    )
    return sub


def _decide(
    actor: Actor, submission: BodySubmission, to: str
) -> tuple[BodySubmission, dict[str, Any]]:
    require(actor, "cycles.manage")
    sub = lock(BodySubmission, submission.pk)
    before = snapshot(sub, ["status"])
    SUBMISSION_TRANSITIONS.move(sub, to)
    sub.decided_at = timezone.now()
    return sub, before


@transaction.atomic
def submission_accept(actor: Actor, *, submission: BodySubmission) -> BodySubmission:
    sub, before = _decide(actor, submission, SubmissionStatus.ACCEPTED)
    sub.save()
    regs = list(
        Registration.objects.filter(
            cycle_id=sub.cycle_id, body_id=sub.body_id, status=RegistrationStatus.ACCEPTED
        )
    )
    # accepted → filed (REGISTRATION_TRANSITIONS) for the whole list at once.
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(
        status=RegistrationStatus.FILED, updated_at=timezone.now()
    )
    registration_counts.refresh(sub.cycle_id, sub.body_id)  # no save signal for a bulk update
    log_action(
        actor,
        sub,
        "cycles.submission.accepted",
        before=before,
        after=snapshot(sub, ["status"]),
        data={"filed": [r.number for r in regs]},
    )
    link = reverse("cycles:registrations", args=[sub.cycle.code])
    notify(
        body_admins(sub.body_id),
        link=link,
        code="cycles.submission.accepted",
        params={"cycle": cycle_msg(sub.cycle), "n": len(regs)},
    )
    for r in regs:
        notify(
            collective_managers(r.collective_id),
            link=_registration_url(r),
            code="cycles.registration.filed_by_city",
            params={"no": r.number},
        )
    return sub


@transaction.atomic
def submission_return(actor: Actor, *, submission: BodySubmission, reason: str) -> BodySubmission:
    reason = _need_reason(reason)
    sub, before = _decide(actor, submission, SubmissionStatus.RETURNED)
    sub.reason = reason
    sub.save()
    log_action(
        actor,
        sub,
        "cycles.submission.returned",
        before=before,
        after=snapshot(sub, ["status"]),
        data={"reason": reason},
    )
    notify(
        body_admins(sub.body_id),
        link=reverse("cycles:registrations", args=[sub.cycle.code]),
        code="cycles.submission.returned",
        params={"cycle": cycle_msg(sub.cycle), "r": reason},
    )
    return sub
