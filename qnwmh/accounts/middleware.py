from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


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


# When the current sign-in began (epoch seconds), set on login (see signals.py).
SESSION_STARTED_KEY = "auth_started"
# Public pages that show or accept a complainant's own case: never kept by any cache.
PRIVATE_PUBLIC_NAMESPACES = frozenset({"supervision_public"})


def _signed_in(request: HttpRequest) -> bool:
    # Only a request that carries a session cookie can be signed in; checking first keeps
    # anonymous public pages from loading (and varying on) the session.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def is_private(request: HttpRequest) -> bool:
    """Whether the answer may carry personal data: anything for a signed-in user or an API
    token, and the public complaint pages."""
    if _signed_in(request) or "HTTP_AUTHORIZATION" in request.META:
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespace in PRIVATE_PUBLIC_NAMESPACES


class SessionLimitsMiddleware:
    """For signed-in users: end the sign-in SESSION_ABSOLUTE_HOURS after it began (the idle
    timeout is the session cookie's age); lead a user holding a temporary password to the
    password change; and mark every answer that may hold personal data
    ``Cache-Control: no-store, private`` so neither the browser nor a proxy keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._limits(request) if _signed_in(request) else None
        if response is None:
            response = self.get_response(request)
        private = is_private(request) or getattr(request, "_was_signed_in", False)
        if private and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response

    def _limits(self, request: HttpRequest) -> HttpResponse | None:
        request._was_signed_in = True  # type: ignore[attr-defined]
        now = time.time()
        started = request.session.get(SESSION_STARTED_KEY)
        if not isinstance(started, int | float):
            request.session[SESSION_STARTED_KEY] = now
        elif now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
            logout(request)
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "must_change_password", False):
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:password_change")
        return None
