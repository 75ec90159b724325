"""The nomination history on a collective's office page, after its titles: where it was sent
up to the province (one query; none for a collective never nominated, by the page loader's
probe). The page itself is scoped: whoever sees the collective may see where it was sent up."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from qnwmh.awards.models import Nomination
from qnwmh.awards.selectors.nomination import collective_nominations
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.panels import OFFICE_COLLECTIVE_HISTORY, Panel, Probed

TEMPLATE = "awards/nomination/_collective_history.html"


def history(actor: Actor, collective: Collective) -> list[Panel]:
    return [Panel(TEMPLATE, {"nominations": collective_nominations(collective)})]


def none(actor: Actor, collective: Collective) -> list[Panel]:
    # The template says nothing without nominations; rendered all the same, the page keeps
    # its every byte whether the probe ran or not.
    return [Panel(TEMPLATE, {"nominations": []})]


def _any() -> Exists:
    return Exists(Nomination.objects.filter(collective_id=OuterRef("pk")))


PANELS = {OFFICE_COLLECTIVE_HISTORY: Probed(history, _any, none)}
