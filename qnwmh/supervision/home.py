"""What the home page asks of league staff about public supervision."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks
from qnwmh.supervision.models import (
    OPEN_STATUSES,
    Status,
    ack_overdue_q,
    finish_overdue_q,
)
from qnwmh.supervision.selectors import complaints_visible_to


def tasks(actor: Actor) -> Tasks:
    if not actor.is_staff_of_body:
        return
    today = timezone.localdate()
    url = reverse("supervision:list")
    overdue = ack_overdue_q(today) | finish_overdue_q(today)
    # Every count is of open complaints: reading only those keeps the home page cheap as
    # closed complaints pile up.
    counts = yield Tally.aggregate(
        complaints_visible_to(actor).filter(status__in=OPEN_STATUSES),
        new=Count("id", filter=Q(status=Status.RECEIVED)),
        overdue=Count("id", filter=overdue),
        review=Count("id", filter=Q(city_review=True, status__in=OPEN_STATUSES)),
    )
    out = [
        Task(
            title=_("待受理的投诉建议"),
            count=counts["new"],
            url=f"{url}?status=received",
            tone="warn" if counts["new"] else "ok",
        ),
        Task(
            title=_("超期未办结的投诉"),
            count=counts["overdue"],
            url=f"{url}?state=overdue",
            tone="warn" if counts["overdue"] else "ok",
        ),
    ]
    if actor.is_city_admin:
        out.append(
            Task(
                title=_("投诉人不满意、待复查"),
                count=counts["review"],
                url=f"{url}?state=city_review",
                tone="warn" if counts["review"] else "ok",
            )
        )
    yield from out
