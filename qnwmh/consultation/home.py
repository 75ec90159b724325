"""What the home page asks about consultations: a body's admins, the drafts still to answer;
the city, the comments still without a disposition."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.consultation.models import Comment, Status
from qnwmh.consultation.selectors import awaiting_reply
from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks


def tasks(actor: Actor) -> Tasks:
    if actor.is_city_admin:
        yield from _city()
        return
    if not actor.is_body_admin:
        return
    n = yield Tally.count(awaiting_reply(actor))
    if n:
        yield Task(
            title=_("待回复的征求意见"),
            count=n,
            url=reverse("consultation:list") + "?status=open",
            tone="warn",
        )


def _city() -> Tasks:
    n = yield Tally.count(
        Comment.objects.filter(
            disposition="", consultation__status__in=[Status.OPEN, Status.CLOSED]
        )
    )
    if n:
        yield Task(
            title=_("待处理的征求意见反馈"),
            count=n,
            url=reverse("consultation:list"),
            tone="info",
        )
