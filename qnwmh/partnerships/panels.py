"""A collective's joint projects and mentor pairs on its office page (every state) and on its
public page (confirmed and finished ones only; names of collectives, never of people). Three
queries per page, whatever the numbers."""

from __future__ import annotations

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, Panel
from qnwmh.partnerships.selectors import pairs_of, projects_of


def _panel(template: str, collective: Collective, *, confirmed_only: bool) -> list[Panel]:
    projects = projects_of(collective, confirmed_only=confirmed_only)
    pairs = pairs_of(collective, confirmed_only=confirmed_only)
    if not (projects or pairs):
        return []
    return [Panel(template, {"c": collective, "projects": projects, "pairs": pairs})]


def office(actor: Actor, collective: Collective) -> list[Panel]:
    return _panel("partnerships/_office_panel.html", collective, confirmed_only=False)


def public(collective: Collective) -> list[Panel]:
    return _panel("partnerships/_public_panel.html", collective, confirmed_only=True)


PANELS = {OFFICE_COLLECTIVE: office, PUBLIC_COLLECTIVE: public}
