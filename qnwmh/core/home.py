"""The home page says what needs doing. Each app may contribute in its own ``home.py`` by
defining ``tasks(actor) -> list[Task]``; the core collects them in lifecycle order."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.functional import Promise

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
    out: list[Task] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("qnwmh.") or config.name == "qnwmh.core":
            continue
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError:
            continue
        out.extend(module.tasks(actor))
    return out
