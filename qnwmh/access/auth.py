"""How an API request says who it is: ``Authorization: Bearer <token>``.

``BearerToken`` is the API's authentication; after it, ``api_actor(request)`` is the token's
``Actor`` in every router (public routes declare ``auth=None`` and act as anonymous)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja.security import HttpBearer

from qnwmh.access import tokens as token_services
from qnwmh.access.actor import actor_for
from qnwmh.accounts.middleware import client_ip
from qnwmh.core.actor import Actor
from qnwmh.core.guard import ActorRequest


class BearerToken(HttpBearer):
    """A valid token puts its ``Actor`` on the request (``request.auth`` and ``request.actor``,
    so audit entries and scope read the same one)."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        found = token_services.token_user(token)
        if found is None:
            return None
        actor = actor_for(found.user, client_ip(request))
        if not actor.roles & token_services.API_ROLES:
            return None  # the user no longer holds a role that uses the API
        cast(ActorRequest, request).actor = actor
        return actor
