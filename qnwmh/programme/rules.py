from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("programme.edit_rules", target=None)
def _edit(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("programme.view_rules", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
