"""What the in-process bench scripts share: Django set up from a script, a call timed with
its query count, a page's median time through the test client, the process's peak memory."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()


def timed(fn: Callable[[], Any]) -> tuple[float, int]:
    """Seconds one call of ``fn`` takes, and the queries it made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - t
    return elapsed, len(ctx)


def page(client: Any, url: str, repeat: int) -> tuple[float, int]:
    """The median seconds of ``repeat`` GETs of ``url`` after one warm-up, and the queries
    of the last one; a page that does not answer 200 stops the run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(ctx)


def rss_mb() -> float:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def client_for(user: Any = None) -> Any:
    """Django's test client, signed in as ``user`` (anonymous without one)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def client_as(role: str, **filters: Any) -> Any:
    """A test client signed in as the first active user holding ``role`` (with ``filters`` on
    the user)."""
    from qnwmh.accounts.models import User

    user = User.objects.filter(assignments__role=role, is_active=True, **filters).first()
    return client_for(user)
