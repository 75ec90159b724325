"""The collective's exchange events on its office page (one query; none for a collective never
registered, by the page loader's probe: the panel then says there are none)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from qnwmh.core.panels import OFFICE_COLLECTIVE, Panel, Probed
from qnwmh.exchange.models import Registration
from qnwmh.exchange.selectors import collective_events


def office(actor: Any, collective: Any) -> list[Panel]:
    return [Panel("exchange/_panel.html", {"registrations": collective_events(collective)})]


def none(actor: Any, collective: Any) -> list[Panel]:
    return [Panel("exchange/_panel.html", {"registrations": []})]


def _any() -> Exists:
    return Exists(Registration.objects.filter(collective_id=OuterRef("pk")))


PANELS = {OFFICE_COLLECTIVE: Probed(office, _any, none)}
