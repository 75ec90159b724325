"""Every API list costs the same number of queries at two data sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.helpers import ApiClient, api_token


def _grow(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        c = f.collective(world.body, name=f"石岐街道增量集体{i:03d}", members=2)
        f.title(c, stars=1 + i % 3)
        if i % 2:
            f.title(c, level="provincial", stars=2)
        f.member(world.collective, name=f"增量成员{i:03d}")


LISTS = [
    ("city_admin", "/collectives", {}),
    ("city_admin", "/collectives", {"q": "石岐", "level": "city"}),
    ("body_admin", "/collectives", {}),
    ("manager", "/collectives", {}),
    ("city_admin", "/organisations", {}),
    ("city_admin", "/titles", {}),
    ("body_admin", "/collectives/{code}/members", {}),
    ("city_admin", "/collectives/{code}/titles", {}),
    ("city_admin", "/auth/tokens", {}),
    ("anonymous", "/public/collectives", {}),
    ("anonymous", "/public/collectives", {"q": "石岐", "stars": 2}),
    ("anonymous", "/public/collectives/{code}", {}),
]


def _count(client: ApiClient, path: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, page_size=20, **params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("role", "path", "params"), LISTS, ids=[f"{r} {p} {q}" for r, p, q in LISTS])
def test_query_count_does_not_grow_with_data(world: Any, role: str, path: str,
                                             params: dict[str, Any]) -> None:
    client = ApiClient(api_token(world.users[role])[1] if role != "anonymous" else None)
    path = path.format(code=world.collective.code)
    client.get(path)  # warm-up: the token's once-a-minute "last used" write
    _grow(world, 0, 3)
    small = _count(client, path, params)
    _grow(world, 3, 30)
    large = _count(client, path, params)
    assert small == large, f"{path}: {small} queries with little data, {large} with more"
    assert large <= 10
