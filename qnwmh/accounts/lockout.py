"""Login lockout in two tiers (see the AXES_* and LOGIN_* settings).

django-axes locks a username *from one address* after ``LOGIN_FAILURE_LIMIT`` failures
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): a stranger's guesses cannot lock
the owner out from their own desk. Axes has one limit and one cool-off, so the slower
username-only ceiling (``LOGIN_USERNAME_FAILURE_LIMIT`` failures from any addresses within
``LOGIN_USERNAME_WINDOW_HOURS``) is counted here from the login log, which records every
failure anyway. An administrator's unlock resets both tiers.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from qnwmh.accounts.models import LoginEvent


def username_failures(username: str) -> int:
    """Failures for ``username`` (from any address) within the window, since the last unlock."""
    since = timezone.now() - datetime.timedelta(hours=settings.LOGIN_USERNAME_WINDOW_HOURS)
    events = LoginEvent.objects.filter(username=username, at__gte=since)
    unlocked = events.filter(kind=LoginEvent.Kind.UNLOCK).aggregate(last=Max("at"))["last"]
    failures = events.filter(kind=LoginEvent.Kind.FAILURE)
    if unlocked is not None:
        failures = failures.filter(at__gt=unlocked)
    return failures.count()


def username_ceiling_reached(username: str | None) -> bool:
    if not username:
        return False
    return username_failures(username) >= settings.LOGIN_USERNAME_FAILURE_LIMIT


def is_locked_anywhere(username: str) -> bool:
    """Whether ``username`` is locked now, by the ceiling or from at least one address."""
    if username_ceiling_reached(username):
        return True
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()


def clear(username: str) -> int:
    """Forget the per-address failures of ``username``; the caller records the unlock event
    that restarts the ceiling's count."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


class TwoTierHandler(AxesDatabaseHandler):
    """Axes' database handler (username + address), plus the username-only ceiling.

    ``is_locked`` refuses the attempt before the password is checked; ``user_login_failed``
    then marks the request as locked out so the login page and the API answer 429, as they do
    for axes' own tier (axes only marks it when its own count is reached)."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return username_ceiling_reached(get_client_username(request, credentials))

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        username = get_client_username(request, credentials)
        # Axes' receiver runs before the login log's (INSTALLED_APPS order), so this counts
        # the earlier failures: the attempt after the LOGIN_USERNAME_FAILURE_LIMIT-th is
        # the first refused.
        if username_ceiling_reached(username):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )
