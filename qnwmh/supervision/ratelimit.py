"""A fixed-window rate limit kept in the database, so it holds across server processes.

``hit(key, limit, window_seconds)`` adds one to the counter of the current window only while
it is under ``limit`` (one conditional UPDATE); the first hit of a window INSERTs the row, and
a concurrent first hit that loses the INSERT race retries the UPDATE. It runs in its own
savepoint so a refused request leaves the caller's transaction usable."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from qnwmh.supervision.models import RateCounter


def hit(key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one request under ``key``; False when the window's limit is already reached."""
    if limit <= 0:
        return False
    window = int(now if now is not None else time.time()) // window_seconds * window_seconds
    for _attempt in range(3):
        updated = RateCounter.objects.filter(key=key, window=window, count__lt=limit).update(
            count=F("count") + 1
        )
        if updated:
            return True
        if RateCounter.objects.filter(key=key, window=window).exists():
            return False
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window=window, count=1)
            return True
        except IntegrityError:
            continue  # another process created the row first: count against it
    return False


def purge_before(cutoff: float) -> int:
    """Drop counters of windows that ended before ``cutoff`` (housekeeping, not domain data)."""
    deleted, _ = RateCounter.objects.filter(window__lt=int(cutoff)).delete()
    return deleted
