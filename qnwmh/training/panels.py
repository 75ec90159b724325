"""A collective's leader trainings on its office page (not on the public page: attendance is
about a person). One query; none for a collective never invited (the page loader's probe)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE, Panel, Probed
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


def _any() -> Exists:
    return Exists(Invitation.objects.filter(collective_id=OuterRef("pk")))


PANELS = {OFFICE_COLLECTIVE: Probed(office, _any)}
