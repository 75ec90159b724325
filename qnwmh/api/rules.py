"""Who may manage API tokens: everyone their own; city admins anyone's."""

from __future__ import annotations

from typing import Any

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.permissions import rule


@rule("api.use")
def _use(actor: Actor, obj: Any) -> bool:
    return actor.is_authenticated


@rule("api.manage_token")
def _manage_token(actor: Actor, token: Any) -> bool:
    if "system" in actor.roles:  # management command
        return True
    if not actor.is_authenticated:
        return False
    if token is None:
        return True
    return actor.is_city_admin or (actor.user is not None and token.user_id == actor.user.pk)


@rule("api.view_docs")
def _view_docs(actor: Actor, obj: Any) -> bool:
    return actor.is_staff_of_body
