"""Login events come from Django's and axes' signals: one row per login, failure, lockout and
logout, whatever view or backend produced it."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from qnwmh.accounts import kept
from qnwmh.accounts.middleware import SESSION_STARTED_KEY, client_ip
from qnwmh.accounts.models import LoginEvent, User
from qnwmh.core.middleware import SESSION_RENEWED_KEY


def _record(kind: str, request: HttpRequest | None, username: str, user: User | None) -> None:
    meta = request.META if request is not None else {}
    LoginEvent.objects.create(
        kind=kind,
        username=username[:150],
        user=user,
        ip=client_ip(request) if request is not None else None,
        user_agent=(meta.get("HTTP_USER_AGENT") or "")[:300],
    )


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SESSION_STARTED_KEY] = now  # the absolute lifetime counts from here
        # Signing in writes the session: its idle expiry is renewed from here (a test client's
        # force_login saves it outside the middleware, so the stamp is set here, not there).
        session[SESSION_RENEWED_KEY] = now
        kept.prime(session, user)  # the grants and unread count, so pages need not write it
    _record(LoginEvent.Kind.SUCCESS, request, user.username, user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(LoginEvent.Kind.LOGOUT, request, user.username, user)


@receiver(user_login_failed)
def _failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    _record(
        LoginEvent.Kind.FAILURE, request, username, User.objects.filter(username=username).first()
    )


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    name = username or ""
    _record(LoginEvent.Kind.LOCKOUT, request, name, User.objects.filter(username=name).first())
