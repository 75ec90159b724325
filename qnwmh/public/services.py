"""Writes of the public site: a visitor books a visit to an open week.

The attempt is counted first, in its own transaction (``supervision.ratelimit``, the helper
complaints use), so a refused or failing request is still counted; then the booking, its
audit entry (without the visitor's name or phone) and the staff's notices are written in one
transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.creation.models import LogEntry
from qnwmh.notices.services import body_admins, collective_managers, notify
from qnwmh.public.models import VisitBooking
from qnwmh.supervision import ratelimit

LIMITS = {
    "visits_per_ip": (5, 3600),  # (count, window seconds)
    "visits_per_event": (100, 3600),
    "max_visitors": 50,
}
PHONE_CHARS = set("0123456789")


def visit_days(entry: LogEntry, today: datetime.date | None = None) -> list[datetime.date]:
    """The days of the open week a visitor may still choose: from today to its last day."""
    today = today or timezone.localdate()
    last = entry.ends_on or entry.occurred_on
    day = max(entry.occurred_on, today)
    days = []
    while day <= last:
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _clean_phone(raw: str) -> str:
    phone = "".join(ch for ch in (raw or "") if ch not in " -()")
    if not (7 <= len(phone) <= 20 and set(phone) <= PHONE_CHARS):
        raise DomainError(_("请填写正确的电话号码（手机或带区号的固定电话）。"), field="phone")
    return phone


def _rate(key: str, spec: tuple[int, int]) -> None:
    limit, window = spec
    if not ratelimit.hit(key, limit, window):
        raise DomainError(_("提交过于频繁，请稍后再试。"), code="rate_limited")


def visit_book(actor: Actor, *, entry: LogEntry, values: dict[str, Any]) -> VisitBooking:
    """Book a visit to one day of a public open week (no account)."""
    with transaction.atomic():  # counted even when what follows is refused
        _rate(f"v:ip:{actor.ip or '-'}", LIMITS["visits_per_ip"])  # type: ignore[arg-type]
        _rate(f"v:ev:{entry.pk}", LIMITS["visits_per_event"])  # type: ignore[arg-type]
    name = str(values.get("name") or "").strip()
    if not name:
        raise DomainError(_("请填写姓名。"), field="name")
    phone = _clean_phone(str(values.get("phone") or ""))
    visitors = values.get("visitors")
    if not isinstance(visitors, int) or not 1 <= visitors <= int(LIMITS["max_visitors"]):  # type: ignore[call-overload]
        raise DomainError(
            _("参观人数须在 1 至 %(n)s 人之间。") % {"n": LIMITS["max_visitors"]},
            field="visitors",
        )
    visit_on = values.get("visit_on")
    if visit_on not in visit_days(entry):
        raise DomainError(_("请选择开放周期间的日期。"), field="visit_on")
    with transaction.atomic():
        booking = VisitBooking.objects.create(
            entry=entry,
            collective=entry.collective,
            name=name[:50],
            phone=phone,
            visitors=visitors,
            visit_on=visit_on,
            note=str(values.get("note") or "").strip()[:300],
        )
        log_action(
            actor,
            booking,
            "public.visit.booked",
            data={
                "entry": entry.code,
                "collective": entry.collective.code,
                "visit_on": visit_on.isoformat(),
                "visitors": visitors,
            },
        )
        collective = entry.collective
        notify(
            [*collective_managers(collective.pk), *body_admins(collective.body_id)],
            _("开放周“%(title)s”收到参观预约：%(day)s，%(n)s 人。")
            % {"title": entry.title, "day": visit_on.isoformat(), "n": visitors},
            link=reverse("visits:list") + f"?collective={collective.code}",
            code=booking.code,
        )
    return booking
