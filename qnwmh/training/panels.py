"""A collective's leader trainings on its office page (not on the public page: attendance is
about a person). Two queries."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE, Panel
from qnwmh.training.models import Invitation
from qnwmh.training.selectors import with_completion

SHOWN = 5


def office(actor: Actor, collective: Any) -> list[Panel]:
    rows = list(
        with_completion(Invitation.objects.filter(collective=collective))
        .select_related("session")
        .order_by("-session__starts_at", "-id")[:SHOWN]
    )
    if not rows:
        return []
    return [Panel("training/_panel.html", {"invitations": rows})]


PANELS = {OFFICE_COLLECTIVE: office}
