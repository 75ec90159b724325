"""Home-page task: the city confirms the partnerships bodies have proposed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks
from qnwmh.partnerships.models import JointCreation, MentorPair, Status


def tasks(actor: Actor) -> Tasks:
    if not actor.is_city_admin:
        return
    joints, pairs = yield (
        Tally.count(JointCreation.objects.filter(status=Status.PROPOSED)),
        Tally.count(MentorPair.objects.filter(status=Status.PROPOSED)),
    )
    if joints:
        yield Task(
            _("号号联创待确认"),
            url=reverse("partnerships:joints") + "?status=proposed",
            count=joints,
            tone="warn",
        )
    if pairs:
        yield Task(
            _("新老结对待确认"),
            url=reverse("partnerships:pairs") + "?status=proposed",
            count=pairs,
            tone="warn",
        )
