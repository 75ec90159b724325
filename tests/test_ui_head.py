"""Every GET page answers HEAD like GET (same status, no body) — crawlers and uptime checks use it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.matrix import all_rows

GET_ROWS = [row for row in all_rows() if row.method == "get"]


@pytest.mark.parametrize("row", GET_ROWS, ids=[r.id for r in GET_ROWS])
def test_head_answers_like_get(world: Any, row: Any) -> None:
    client = world.client("city_admin")
    url = reverse(row.url_name, kwargs=row.kwargs(world)) + row.query
    head = client.head(url, row.data(world))
    assert head.status_code == row.expect["city_admin"], f"HEAD {row.id}: {head.status_code}"
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert body == b""


def test_no_view_refuses_head_by_decorator() -> None:
    """``require_GET`` answers HEAD with 405; ``require_safe`` is the decorator for pages."""
    from pathlib import Path

    import qnwmh

    root = Path(qnwmh.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "require_GET" in p.read_text() or 'require_http_methods(["GET"])' in p.read_text()
    ]
    assert offenders == []
