"""A collective's joint projects and mentor pairs on its office page (every state) and on its
public page (confirmed and finished ones only; names of collectives, never of people). Three
queries per page, whatever the numbers; none for a collective in no project and no pair (the
probe the page's loader asks in its own query)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, Panel, Probed
from qnwmh.partnerships.models import MentorPair
from qnwmh.partnerships.selectors import Partner, pairs_of, projects_of


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


def _any() -> Q:
    """Whether the collective is in any project or pair (in any state: the office page shows
    them all, the public page's own filter runs once this is true)."""
    outer = OuterRef("pk")
    return Q(Exists(Partner.objects.filter(collective_id=outer))) | Q(
        Exists(MentorPair.objects.filter(Q(mentor_id=outer) | Q(mentee_id=outer)))
    )


PANELS = {OFFICE_COLLECTIVE: Probed(office, _any), PUBLIC_COLLECTIVE: Probed(public, _any)}
