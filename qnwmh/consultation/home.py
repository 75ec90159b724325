"""What the home page asks about consultations: a body's admins, the drafts still to answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.consultation.selectors import awaiting_reply
from qnwmh.core.actor import Actor
from qnwmh.core.home import Task


def tasks(actor: Actor) -> list[Task]:
    if not actor.is_body_admin:
        return []
    n = awaiting_reply(actor).count()
    if not n:
        return []
    return [
        Task(
            title=_("待回复的征求意见"),
            count=n,
            url=reverse("consultation:list") + "?status=open",
            tone="warn",
        )
    ]
