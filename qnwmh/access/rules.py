"""Who may manage API tokens: holders of a role that uses the API their own (see
``tokens.API_ROLES``; reviewers have nothing to do there yet); city admins anyone's."""

from __future__ import annotations

from typing import Any

from qnwmh.access.models import ApiToken
from qnwmh.access.tokens import API_ROLES
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("api.manage_token", target=ApiToken | None)
def _manage_token(actor: Actor, token: Any) -> bool:
    if "system" in actor.roles:  # management command
        return True
    if not actor.is_authenticated:
        return False
    if token is None:  # the token page, issuing for oneself
        return bool(actor.roles & API_ROLES)
    return actor.is_city_admin or (actor.user is not None and token.user_id == actor.user.pk)
