"""What a signed-in session keeps about its user between requests, and when it goes stale.

Every back-office page shows things read per user: the actor's grants (the menu, every
permission) and the bell's unread count. Each was a query on every page. The session and the
user's row are read on every request anyway, so the session keeps those values together with
the user's ``state_version`` they were read at; the services that change them move the
version on (``changed``) in the same transaction, after writing, so the next request reads
them again: whatever changed is seen on the next request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import F
from django.http import HttpRequest

from qnwmh.accounts.models import User

T = TypeVar("T")

# Read again after this long even if nothing said it changed: a change written around the
# services (by hand in SQL, say) is seen within minutes, not at the next sign-in.
KEEP_SECONDS = 300


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


def kept(request: HttpRequest, key: str, read: Callable[[], T]) -> T:
    """The value the session keeps under ``key`` for the signed-in user as they are now, or
    ``read()`` (then kept). The value must survive the session's JSON as it is."""
    user: Any = request.user
    session = request.session
    version = [user.pk, user.state_version]
    now = _now()
    entry = session.get(key)
    if isinstance(entry, list) and len(entry) == 3 and entry[0] == version and now < entry[2]:
        value: T = entry[1]
        return value
    value = read()
    if version[1] is not None:
        session[key] = [version, value, now + KEEP_SECONDS]
    return value
