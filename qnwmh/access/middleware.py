from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from qnwmh.access.actor import request_actor
from qnwmh.core.actor import Actor
from qnwmh.core.guard import ActorRequest


class ActorMiddleware:
    """Attach ``request.actor``; its roles are read only when something asks for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = SimpleLazyObject(lambda: request_actor(request))
        # The lazy object stands for the Actor; attaching it makes the request an ActorRequest.
        cast(ActorRequest, request).actor = cast(Actor, actor)
        return self.get_response(request)
