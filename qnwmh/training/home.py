"""What the home page asks of a collective's manager: a training its leader must attend."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Task
from qnwmh.training.selectors import my_open_invitations


def tasks(actor: Actor) -> list[Task]:
    if not actor.is_collective_manager:
        return []
    first = my_open_invitations(actor).order_by("session__starts_at").first()
    if first is None:
        return []
    s = first.session
    return [
        Task(
            title=_("号长待参加的轮训"),
            detail=_("%(title)s：%(when)s，%(place)s")
            % {
                "title": s.title,
                "when": timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M"),
                "place": s.place,
            },
            url=reverse("training:session", args=[s.code]),
            tone="warn",
        )
    ]
