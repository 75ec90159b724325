"""Re-review reminders, run daily from cron (``manage.py oversight_review_reminders``):

1. the managers of a collective whose self-report is due within ``DUE_DAYS`` days, or overdue;
2. the admins of each body with cases to assess (self-reported, or awaiting a self-report
   past its deadline), with how many;
3. the city, with how many cases await its decision.

Only open campaigns count. A run is idempotent per day: a reminder already in a recipient's
bell today (same kind, same link) is not sent again, so cron running twice sends nothing more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qnwmh.accounts.models import User
from qnwmh.notices.models import Notice
from qnwmh.oversight.models import CaseStatus, ReviewCase, ReviewStatus
from qnwmh.oversight.services.review_notices import case_link, managers_by_collective

DUE_DAYS = 3
CODES = (
    "oversight.review.self_report_due",
    "oversight.review.to_assess",
    "oversight.review.to_decide",
)


@dataclass
class Sent:
    managers: int = 0
    bodies: int = 0
    city: int = 0


class _Today:
    """What was already sent today, and sending only what was not."""

    def __init__(self, today: datetime.date) -> None:
        start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        self.seen = set(
            Notice.objects.filter(
                code__in=CODES,
                created_at__gte=start,
                created_at__lt=start + datetime.timedelta(days=1),
            ).values_list("recipient_id", "code", "link")
        )

    def send(self, users: list[User], code: str, params: dict[str, Any], link: str) -> int:
        from qnwmh.notices.services import notify

        fresh = [u for u in users if (u.pk, code, link) not in self.seen]
        if fresh:
            notify(fresh, code=code, params=params, link=link)
            self.seen |= {(u.pk, code, link) for u in fresh}
        return len(fresh)


def _open_cases() -> Any:
    return ReviewCase.objects.filter(review__status=ReviewStatus.OPEN)


def _managers(today: datetime.date, sent: _Today) -> int:
    due = _open_cases().filter(
        status=CaseStatus.AWAITING_SELF,
        review__self_report_due__lte=today + datetime.timedelta(days=DUE_DAYS),
    )
    cases = list(due.select_related("review", "collective"))
    by_collective = managers_by_collective(c.collective_id for c in cases)
    n = 0
    for c in cases:
        params = {
            "c": c.collective.name,
            "year": c.review.year,
            "due": c.review.self_report_due.isoformat(),
        }
        n += sent.send(by_collective.get(c.collective_id, []), CODES[0], params, case_link(c))
    return n


def _bodies(today: datetime.date, sent: _Today) -> int:
    from qnwmh.notices.services import body_admins

    to_assess = Q(status=CaseStatus.SELF_REPORTED) | Q(
        status=CaseStatus.AWAITING_SELF, review__self_report_due__lt=today
    )
    rows = (
        _open_cases()
        .filter(to_assess)
        .values("review__code", "review__year", "body_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    n = 0
    for row in rows:
        link = reverse("oversight:review_cases", args=[row["review__code"]])
        link += f"?body={row['body_id']}"
        params = {"n": row["n"], "year": row["review__year"]}
        n += sent.send(body_admins(row["body_id"]), CODES[1], params, link)
    return n


def _city(sent: _Today) -> int:
    from qnwmh.notices.services import city_admins

    rows = (
        _open_cases()
        .filter(status=CaseStatus.ASSESSED)
        .values("review__code", "review__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    n = 0
    for row in rows:
        link = reverse("oversight:review_cases", args=[row["review__code"]])
        link += f"?status={CaseStatus.ASSESSED}"
        n += sent.send(city_admins(), CODES[2], {"n": row["n"], "year": row["review__year"]}, link)
    return n


def remind(*, today: datetime.date | None = None) -> Sent:
    today = today or timezone.localdate()
    sent = _Today(timezone.localdate())
    return Sent(managers=_managers(today, sent), bodies=_bodies(today, sent), city=_city(sent))
