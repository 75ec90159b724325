"""The collective's exchange events on its office page (one query)."""

from __future__ import annotations

from typing import Any

from qnwmh.core.panels import OFFICE_COLLECTIVE, Panel
from qnwmh.exchange.selectors import collective_events


def office(actor: Any, collective: Any) -> list[Panel]:
    return [Panel("exchange/_panel.html", {"registrations": collective_events(collective)})]


PANELS = {OFFICE_COLLECTIVE: office}
