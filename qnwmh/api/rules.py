"""Who may manage API tokens: holders of a role that uses the API their own (see
``services.API_ROLES``; reviewers have nothing to do there yet); city admins anyone's."""

from __future__ import annotations

from typing import Any

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.permissions import rule
from qnwmh.api.services import API_ROLES


@rule("api.manage_token")
def _manage_token(actor: Actor, token: Any) -> bool:
    if "system" in actor.roles:  # management command
        return True
    if not actor.is_authenticated:
        return False
    if token is None:  # the token page, issuing for oneself
        return bool(actor.roles & API_ROLES)
    return actor.is_city_admin or (actor.user is not None and token.user_id == actor.user.pk)


@rule("api.view_docs")
def _view_docs(actor: Actor, obj: Any) -> bool:
    return actor.is_staff_of_body
