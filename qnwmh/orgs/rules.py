from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("orgs.manage", target=None)
def _manage(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("orgs.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
