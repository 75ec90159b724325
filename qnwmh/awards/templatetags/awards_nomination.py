"""The nomination history on a collective's page. The collectives app comes before awards and
cannot read nominations itself; its template loads this tag (as the layout loads the bell)."""

from __future__ import annotations

from typing import Any

from django import template

from qnwmh.awards.selectors.nomination import collective_nominations
from qnwmh.collectives.models import Collective

register = template.Library()


@register.inclusion_tag("awards/nomination/_collective_history.html")
def nomination_history(collective: Collective) -> dict[str, Any]:
    """The collective's nominations, newest round first (one query; nothing shown if none).
    The page itself is scoped: whoever sees the collective may see where it was sent up."""
    return {"nominations": collective_nominations(collective)}
