"""Home-page task: the city confirms the partnerships bodies have proposed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Task
from qnwmh.partnerships.models import JointCreation, MentorPair, Status


def tasks(actor: Actor) -> list[Task]:
    if not actor.is_city_admin:
        return []
    out = []
    joints = JointCreation.objects.filter(status=Status.PROPOSED).count()
    if joints:
        out.append(
            Task(
                _("号号联创待确认"),
                url=reverse("partnerships:joints") + "?status=proposed",
                count=joints,
                tone="warn",
            )
        )
    pairs = MentorPair.objects.filter(status=Status.PROPOSED).count()
    if pairs:
        out.append(
            Task(
                _("新老结对待确认"),
                url=reverse("partnerships:pairs") + "?status=proposed",
                count=pairs,
                tone="warn",
            )
        )
    return out
