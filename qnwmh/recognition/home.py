"""What the home page asks about recognition: the city, stories awaiting its approval; a body,
stories returned to it for changes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks
from qnwmh.recognition.models import StoryStatus
from qnwmh.recognition.selectors import stories_visible_to


def tasks(actor: Actor) -> Tasks:
    url = reverse("recognition:stories")
    if actor.is_city_admin:
        n = yield Tally.count(stories_visible_to(actor).filter(status=StoryStatus.SUBMITTED))
        yield Task(
            title=_("待审核的典型案例"),
            count=n,
            url=f"{url}?status=submitted",
            tone="warn" if n else "ok",
        )
    elif actor.is_body_admin:
        n = yield Tally.count(stories_visible_to(actor).filter(status=StoryStatus.RETURNED))
        if n:
            yield Task(
                title=_("被退回修改的典型案例"),
                count=n,
                url=f"{url}?status=returned",
                tone="warn",
            )
