"""Who sees the dashboards: the city (everything) and the bodies (their subtree, which the
lists' own selectors narrow to). Managers and reviewers have no figures to read."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("dashboards.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
