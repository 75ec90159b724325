"""Rectification (整改): an order to fix what was found, by a deadline; the collective's report;
the body's verification. A failed verification, or a deadline passed without a report, proposes
revocation through ``sanctions.propose`` (category "failed rectification"), which the city then
confirms or withdraws.

A report after the deadline is still accepted and marked late as long as the order has not
been marked missed (``miss``, run once a day by ``oversight_rectification_deadlines``); once
missed, the revocation proposal is with the city and the order takes no more reports.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Title, TitleStatus
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.evidence.services import store_uploads
from qnwmh.oversight.models import (
    RECTIFICATION_TRANSITIONS,
    Basis,
    Rectification,
    RectificationStatus,
    RevocationCategory,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from qnwmh.oversight.services import sanctions
from qnwmh.programme.models import ProgrammeRules

logger = logging.getLogger(__name__)

# A collective's own rectification report is theirs to see (unlike a sanction's evidence).
REPORT_PURPOSE = "oversight.rectification"
MAX_FILES = sanctions.MAX_FILES
OPEN = (RectificationStatus.ORDERED, RectificationStatus.REPORTED)
REMIND_DAYS = (7, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def default_due(today: datetime.date | None = None) -> datetime.date:
    return add_months(today or timezone.localdate(), ProgrammeRules.current().rectification_months)


def _text(value: str, field: str, *, max_len: int = 3000) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("请填写此项。"), field=field)
    if len(value) > max_len:
        raise DomainError(_("内容不能超过 %(n)s 字。") % {"n": max_len}, field=field)
    check_text(value, field=field)
    return value


def _same_title(title: Title, refs: dict[str, Any]) -> None:
    """A case, visit, complaint or sanction named as the basis must concern this title's
    collective."""
    for name, obj in refs.items():
        if obj is not None and obj.collective_id != title.collective_id:
            raise DomainError(_("所选依据与该称号的集体不符。"), field=name)


@transaction.atomic
def order(
    actor: Actor,
    *,
    title: Title,
    basis: str,
    requirements: str,
    due_on: datetime.date | None = None,
    case: Any = None,
    visit: Any = None,
    complaint: Any = None,
    sanction: Any = None,
) -> Rectification:
    """Order the collective of ``title`` to rectify by ``due_on`` (default: the programme's
    rectification period from today). One open order per title."""
    require(actor, "oversight.order_rectification", title.collective)
    title = lock(Title, title.pk)
    if title.status != TitleStatus.ACTIVE:
        raise DomainError(_("该称号已终止，不能责令整改。"))
    if basis not in Basis.values or basis == Basis.RECTIFICATION:
        raise DomainError(_("请选择整改依据。"), field="basis")
    requirements = _text(requirements, "requirements")
    today = timezone.localdate()
    due_on = due_on or default_due(today)
    if due_on <= today:
        raise DomainError(_("整改期限须晚于今天。"), field="due_on")
    refs = {"case": case, "visit": visit, "complaint": complaint, "sanction": sanction}
    _same_title(title, refs)
    if Rectification.objects.filter(title=title, status__in=OPEN).exists():
        raise DomainError(_("该称号已有未办结的整改，请先核查。"))
    r = Rectification.objects.create(
        title=title,
        collective=title.collective,
        basis=basis,
        requirements=requirements,
        due_on=due_on,
        ordered_by=actor.clerk,
        **refs,
    )
    log_action(actor, r, "oversight.rectification.ordered", after=snapshot(r))
    transaction.on_commit(lambda: _tell(r, "oversight.rectification.ordered"))
    return r


@transaction.atomic
def report(
    actor: Actor, rectification: Rectification, *, text: str, files: Sequence[Any] = ()
) -> Rectification:
    """The collective's report, with photos or documents; revisable until verified. After the
    deadline it is accepted and marked late."""
    require(actor, "oversight.report_rectification", rectification.collective)
    r = lock(Rectification, rectification.pk)
    RECTIFICATION_TRANSITIONS.check(r, RectificationStatus.REPORTED)
    text = _text(text, "text")
    before = snapshot(r)
    stored = store_uploads(
        actor, files, collective=r.collective, purpose=REPORT_PURPOSE, max_files=MAX_FILES
    )
    now = timezone.now()
    RECTIFICATION_TRANSITIONS.move(r, RectificationStatus.REPORTED)
    r.report, r.reported_by, r.reported_at = text, actor.clerk, now
    r.late = r.late or timezone.localdate() > r.due_on
    r.save(update_fields=["status", "report", "reported_by", "reported_at", "late"])
    if stored:
        r.evidence.add(*stored)
    log_action(
        actor,
        r,
        "oversight.rectification.reported",
        before=before,
        after=snapshot(r),
        data={"files": [f.code for f in stored], "revised": before["status"] == r.status},
    )
    transaction.on_commit(lambda: _tell(r, "oversight.rectification.reported"))
    return r


@transaction.atomic
def verify(
    actor: Actor, rectification: Rectification, *, passed: bool, note: str = ""
) -> Rectification:
    """The body's (or the city's) check of the report. A fail proposes revocation."""
    require(actor, "oversight.order_rectification", rectification.collective)
    r = lock(Rectification, rectification.pk)
    to = RectificationStatus.PASSED if passed else RectificationStatus.FAILED
    RECTIFICATION_TRANSITIONS.check(r, to)
    note = (note or "").strip()
    if not passed:
        note = _text(note, "note")
    elif note:
        check_text(note, field="note")
    before = snapshot(r)
    RECTIFICATION_TRANSITIONS.move(r, to)
    r.verification_note, r.verified_by, r.verified_at = note, actor.clerk, timezone.now()
    r.save(update_fields=["status", "verification_note", "verified_by", "verified_at"])
    log_action(actor, r, "oversight.rectification.verified", before=before, after=snapshot(r))
    if not passed:
        _propose_revocation(actor, r, _("整改不合格：%(note)s") % {"note": note})
    transaction.on_commit(lambda: _tell(r, "oversight.rectification.verified"))
    return r


def platform_actor() -> Actor:
    """The platform acting for the city when a deadline passes: recorded as the system, with
    the city's right to propose (a proposal still waits for a person in the city to confirm)."""
    return Actor(user=None, roles=frozenset({"system", Role.CITY_ADMIN}))


@transaction.atomic
def miss(rectification: Rectification, *, today: datetime.date | None = None) -> bool:
    """Mark an order past its deadline without a report as missed and propose revocation.
    False (nothing done) when it is not, or no longer, overdue."""
    actor = platform_actor()
    r = lock(Rectification, rectification.pk)
    if not r.overdue(today):
        return False
    before = snapshot(r)
    RECTIFICATION_TRANSITIONS.move(r, RectificationStatus.MISSED)
    r.save(update_fields=["status"])
    log_action(actor, r, "oversight.rectification.missed", before=before, after=snapshot(r))
    _propose_revocation(
        actor, r, _("逾期未报整改情况（期限 %(due)s）。") % {"due": r.due_on.isoformat()}
    )
    transaction.on_commit(lambda: _tell(r, "oversight.rectification.missed"))
    return True


def _propose_revocation(actor: Actor, r: Rectification, reason: str) -> None:
    """Propose revocation for a failed or missed order — unless the title has ended or already
    awaits the city's decision on a proposal (a late report after a miss, then failed, finds
    the miss's proposal there): the city sees this order on the title's history when it
    decides."""
    title = Title.objects.get(pk=r.title_id)
    pending = Sanction.objects.filter(title=title, status=SanctionStatus.PROPOSED).exists()
    if title.status != TitleStatus.ACTIVE or pending:
        return
    sanctions.propose(
        actor,
        title=Title.objects.get(pk=r.title_id),
        kind=SanctionKind.REVOCATION,
        category=RevocationCategory.FAILED_RECTIFICATION,
        basis=Basis.RECTIFICATION,
        reason=str(reason),
        rectification=r,
    )


def deadlines(today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: mark missed orders, and remind managers 7 and 1 days before a deadline.
    Idempotent: a missed order is missed once, and each reminder is sent once per order."""
    today = today or timezone.localdate()
    missed = 0
    for r in Rectification.objects.filter(status=RectificationStatus.ORDERED, due_on__lt=today):
        try:
            missed += miss(r, today=today)
        except DomainError as exc:  # one refusal must not stop the night's run
            logger.warning("rectification %s not marked missed: %s", r.code, exc)
    reminded = 0
    due_days = [today + datetime.timedelta(days=d) for d in REMIND_DAYS]
    for r in Rectification.objects.filter(
        status=RectificationStatus.ORDERED, due_on__in=due_days
    ).select_related("collective", "title"):
        reminded += _remind(r, today)
    return {"missed": missed, "reminded": reminded}


def _remind(r: Rectification, today: datetime.date) -> int:
    from qnwmh.notices.models import Notice
    from qnwmh.notices.services import collective_managers, notify

    link, days = rectification_link(r), (r.due_on - today).days
    code = "oversight.rectification.due"
    # One reminder per order and threshold (7 days, 1 day), however often the command runs.
    if Notice.objects.filter(code=code, link=link, params__days=days).exists():
        return 0
    with transaction.atomic():
        notify(
            collective_managers(r.collective_id),
            code=code,
            params={"c": r.collective.name, "due": r.due_on, "days": days},
            link=link,
        )
    return 1


def rectification_link(r: Rectification) -> str:
    return reverse("oversight:rectification", args=[r.code])


def _tell(r: Rectification, code: str) -> None:
    from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify

    c = r.collective
    managers, body = collective_managers(c.id), body_admins(c.body_id)
    recipients: Iterable[Any] = {
        "oversight.rectification.ordered": [*managers, *body],
        "oversight.rectification.reported": body,
        "oversight.rectification.verified": managers,
        "oversight.rectification.missed": [*city_admins(), *body],
    }[code]
    params = {
        "c": c.name,
        "due": r.due_on,
        "status": RectificationStatus(r.status).label,
        "late": gettext_lazy("（逾期提交）") if r.late else "",
    }
    notify(recipients, code=code, params=params, link=rectification_link(r))
