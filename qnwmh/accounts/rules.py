"""Account-level permissions."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("accounts.view_login_log", target=None)
def _view_login_log(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("accounts.manage_users", target=None)
def _manage_users(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
