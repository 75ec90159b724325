"""What the home page asks about exchange events: a mutual visit waiting for one's appraisal,
and events open for registration one's collectives are invited to."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks
from qnwmh.exchange.models import EventKind, EventStatus
from qnwmh.exchange.selectors import events_visible_to


def tasks(actor: Actor) -> Tasks:
    if not actor.collective_ids:
        return
    url = reverse("exchange:list")
    held = (
        events_visible_to(actor)
        .filter(status=EventStatus.HELD, kind=EventKind.MUTUAL_VISIT)
        .exclude(appraisals__by_collective_id__in=actor.collective_ids)
    )
    due = yield Tally.count(held)
    if due:
        yield Task(
            title=_("待完成的互访评价"),
            count=due,
            url=f"{url}?status=held&kind=mutual_visit",
            tone="warn",
        )
