"""What a signed-in session keeps about its user between requests, and when it goes stale.

Every back-office page shows things read per user: the actor's grants (the menu, every
permission) and the bell's unread count. Each was a query on every page. The session and the
user's row are read on every request anyway, so the session keeps those values together with
the user's ``state_version`` they were read at; the services that change them move the
version on (``changed``) in the same transaction, after writing, so the next request reads
them again: whatever changed is seen on the next request.

Signing in reads them all (``prime``: the sign-in writes the session anyway); afterwards a
value is read again once it is ``SESSION_RENEW_SECONDS`` old, when the session is written to
renew its expiry anyway, so a change made around the services (by hand in SQL, say) is seen
within a minute and keeping costs no extra session writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F
from django.http import HttpRequest

from qnwmh.accounts.models import User

T = TypeVar("T")

# Key in the session -> how to read the value for a user; registered by the apps that own
# the values (``AppConfig.ready``), so signing in reads them all.
READERS: dict[str, Callable[[Any], Any]] = {}


def _now() -> float:
    return time.time()


def changed(user_ids: Iterable[int] | None = None) -> None:
    """What the sessions of these users (``None``: of every user) keep is stale from now on.

    Call it after writing the change, in its transaction: a request that read the old
    version then reads the change itself, and keeps it under the old version, read again."""
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=set(user_ids))
    users.update(state_version=F("state_version") + 1)


def forget(user: Any) -> None:
    """Make this loaded user's kept state stale for the rest of the request (after a change
    made in the request itself, which its loaded row does not show)."""
    user.state_version = None  # matches no kept version; never saved (``User.save``)


def _fresh(entry: Any, version: list[Any], now: float) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 3
        and entry[0] == version
        and now - entry[2] < settings.SESSION_RENEW_SECONDS
    )


def kept(request: HttpRequest, key: str, read: Callable[[], T]) -> T:
    """The value the session keeps under ``key`` for the signed-in user as they are now, or
    ``read()`` (then kept). The value must survive the session's JSON as it is."""
    user: Any = request.user
    session = request.session
    version = [user.pk, user.state_version]
    now = _now()
    entry: Any = session.get(key)
    if _fresh(entry, version, now):
        value: T = entry[1]
        return value
    value = read()
    if version[1] is not None:
        session[key] = [version, value, now]
    return value


def prime(session: SessionBase, user: User) -> None:
    """Keep every registered value in a session that signs ``user`` in."""
    current = User.objects.filter(pk=user.pk).values_list("state_version", flat=True).first()
    if current is None:
        return
    version, now = [user.pk, current], _now()
    for key, read in READERS.items():
        session[key] = [version, read(user), now]
