"""The home page says what needs doing. Each app may contribute in its own ``home.py`` by
defining ``tasks(actor) -> list[Task]``; the core collects them in lifecycle order
(``INSTALLED_APPS``, through ``qnwmh.core.plugins``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from qnwmh.core.plugins import contributions

if TYPE_CHECKING:
    from qnwmh.core.actor import Actor


@dataclass(frozen=True)
class Task:
    title: str | Promise
    detail: str | Promise = ""
    url: str = ""
    count: int | None = None
    tone: str = "info"  # info | warn | ok


def tasks_for(actor: Actor) -> list[Task]:
    return [task for c in contributions("home", "tasks") for task in c.value(actor)]
