from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from qnwmh.access.actor import actor_for
from qnwmh.accounts.middleware import client_ip


class ActorMiddleware:
    """Attach ``request.actor``; its roles are read only when something asks for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: actor_for(getattr(request, "user", None), client_ip(request))
        )
        return self.get_response(request)
