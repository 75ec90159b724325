"""Assert that a page costs the same number of queries however much data it lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings


def count_queries(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    status = getattr(response, "status_code", 200)
    assert status == 200, status
    return len(ctx.captured_queries)


def assert_constant_queries(fetch: Callable[[], Any], grow: Callable[[], None]) -> int:
    """``grow`` adds a batch of rows; the page is measured after one batch and after three.
    Pages hold one row, so a list of two rows or more is longer than its first page: a list
    that fits its first page is counted without a COUNT (``core.pagination``), one query
    fewer, so a batch should add two rows to a list."""
    with override_settings(PAGE_SIZE=1):
        grow()
        fetch()  # warm caches (content types, sessions) so both counts see the same state
        small = count_queries(fetch)
        grow()
        grow()
        fetch()  # again: growing may have changed what a session keeps (accounts.kept)
        large = count_queries(fetch)
    assert small == large, f"{small} queries with little data, {large} with more"
    return large
