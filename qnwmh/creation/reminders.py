"""Reminders, run daily from cron (``manage.py creation_reminders``):

1. A titled collective whose current month has no open week with evidence yet is reminded
   from ``reminder_days`` (7) days before the month ends — once per month.
2. Two months before certification starts, each managing body is told which of its registered
   collectives have no required activity (job drill, themed training or open week) with
   evidence — once per cycle.

Mail goes to the collective's managers / the body's admins who have an e-mail address, through
the notices outbox (sent by the worker, retried, failures listed for city admins); a
``ReminderSent`` row makes each reminder happen once even if cron runs twice.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from qnwmh.access.models import RoleAssignment
from qnwmh.access.selectors import administrators_of
from qnwmh.audit.services import log_action
from qnwmh.collectives.models import Collective, CollectiveStatus
from qnwmh.core.actor import Role, system_actor
from qnwmh.creation.models import REQUIRED_KINDS, EntryKind, LogEntry, ReminderSent
from qnwmh.creation.selectors import current_cycle, registered_q, titled_q
from qnwmh.cycles.models import Cycle
from qnwmh.notices.outbox import new_mail, queue
from qnwmh.orgs.models import Organisation

REMINDER_DAYS = 7
CERTIFICATION_LEAD_MONTHS = 2


@dataclass
class Outcome:
    open_week: int = 0
    required: int = 0


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _claim(
    key: str,
    kind: str,
    period: str,
    *,
    collective: Collective | None = None,
    body: Organisation | None = None,
    recipients: int = 0,
) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                key=key,
                kind=kind,
                period=period,
                collective=collective,
                body=body,
                recipients=recipients,
            )
    except IntegrityError:
        return False
    return True


def _emails(qs: object) -> list[str]:
    return sorted({e for e in qs if e})  # type: ignore[attr-defined]


def _mail(subject: str, body: str, emails: list[str]) -> None:
    """One outbox message per address, sent once the reminder's claim has committed."""
    queue([new_mail(to=to, subject=subject, body=body) for to in emails])


def open_week_reminders(today: datetime.date, cycle: Cycle, dry_run: bool = False) -> int:
    last_day = calendar.monthrange(today.year, today.month)[1]
    if last_day - today.day > REMINDER_DAYS:
        return 0
    month_start = today.replace(day=1)
    has_open_week = Exists(
        LogEntry.objects.filter(
            collective=OuterRef("pk"),
            kind=EntryKind.OPEN_WEEK,
            evidence_count__gt=0,
            occurred_on__gte=month_start,
            occurred_on__lte=today.replace(day=last_day),
        )
    )
    sent = 0
    collectives = (
        Collective.objects.filter(status=CollectiveStatus.ACTIVE)
        .filter(titled_q())
        .exclude(has_open_week)
        .order_by("id")
    )
    period = f"{today:%Y-%m}"
    for c in collectives.iterator(chunk_size=500):
        emails = _emails(
            RoleAssignment.objects.active()
            .filter(role=Role.COLLECTIVE_MANAGER, collective=c)
            .values_list("user__email", flat=True)
        )
        if dry_run:
            sent += 1
            continue
        if not _claim(
            f"open_week:{c.pk}:{period}", "open_week", period, collective=c, recipients=len(emails)
        ):
            continue
        if emails:
            _mail(
                _("【青年文明号】本月开放周尚未登记"),
                _(
                    "%(name)s：本月（%(month)s）尚未登记带佐证的开放周活动。持有称号的集体每月须开展开放周，"
                    "请在月底前开展并上传照片或视频。"
                )
                % {"name": c.name, "month": period},
                emails,
            )
        sent += 1
    return sent


def required_activity_reminders(today: datetime.date, cycle: Cycle, dry_run: bool = False) -> int:
    if (
        not _months_before(cycle.certification_starts_on, CERTIFICATION_LEAD_MONTHS)
        <= today
        < cycle.certification_starts_on
    ):
        return 0
    has_required = Exists(
        LogEntry.objects.filter(
            collective=OuterRef("pk"), cycle=cycle, kind__in=REQUIRED_KINDS, evidence_count__gt=0
        )
    )
    lagging = (
        Collective.objects.filter(status=CollectiveStatus.ACTIVE)
        .filter(registered_q(cycle))
        .exclude(has_required)
        .select_related("body")
        .order_by("body_id", "name")
    )
    by_body: dict[int, list[Collective]] = {}
    for c in lagging:
        by_body.setdefault(c.body_id, []).append(c)
    sent = 0
    for body_id, items in by_body.items():
        body = items[0].body
        emails = _emails(administrators_of(body_id).values_list("email", flat=True))
        if dry_run:
            sent += 1
            continue
        if not _claim(
            f"required:{body_id}:{cycle.code}",
            "required",
            cycle.code,
            body=body,
            recipients=len(emails),
        ):
            continue
        if emails:
            names = "\n".join(f"- {c.name}" for c in items)
            _mail(
                _("【青年文明号】以下集体尚未开展规定活动"),
                _(
                    "评选认定将于 %(date)s 开始。以下已报备集体尚未登记带佐证的"
                    "岗位练兵、主题培训或开放周：\n%(names)s"
                )
                % {"date": cycle.certification_starts_on, "names": names},
                emails,
            )
        sent += 1
    return sent


def send_reminders(today: datetime.date, *, dry_run: bool = False) -> Outcome:
    cycle = current_cycle(today)
    if cycle is None:
        return Outcome()
    outcome = Outcome(
        open_week=open_week_reminders(today, cycle, dry_run),
        required=required_activity_reminders(today, cycle, dry_run),
    )
    if not dry_run and (outcome.open_week or outcome.required):
        log_action(
            system_actor(),
            None,
            "creation.reminders.sent",
            data={
                "date": today.isoformat(),
                "open_week": outcome.open_week,
                "required": outcome.required,
            },
        )
    return outcome
