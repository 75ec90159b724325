from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from qnwmh.accounts.actor import actor_for


def client_ip(request: Any) -> str | None:
    """The address of whoever sent the request: what the rate limits, the audit log and the
    login log record.

    With ``PROXY_COUNT`` reverse proxies in front, the socket peer is the nearest proxy and the
    client is the PROXY_COUNT-th address from the right of X-Forwarded-For (each proxy appends
    the peer it saw; anything further left came from the client and may be forged). Without
    proxies the header is ignored for the same reason."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.PROXY_COUNT
    if not hops:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < hops:
        return remote  # not through the expected proxies: trust only the socket
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote


class ActorMiddleware:
    """Attach ``request.actor``; its roles are read only when something asks for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: actor_for(getattr(request, "user", None), client_ip(request))
        )
        return self.get_response(request)
