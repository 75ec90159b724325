"""Every URL name × every role answers as the matrix in tests/matrix says."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from qnwmh.core.guard import guard_of
from tests.matrix import (
    LOGIN,
    UNDECLARED,
    all_rows,
    check_every_role,
    each_role_apart,
    shared_row_data,
)

ROWS = all_rows()


def url_names(patterns: list[Any] | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


# The REST API's routes (namespace api:v1) answer to tokens, not sessions: the API matrix in
# tests/api/test_api_matrix.py covers every one of them.
API_NAMESPACE = "api:v1:"


def test_every_url_name_has_a_matrix_row():
    covered = {row.url_name for row in ROWS}
    names = {n for n in url_names() if not n.startswith(API_NAMESPACE)}
    assert sorted(names - covered) == []


def test_matrix_rows_name_real_urls():
    assert sorted({row.url_name for row in ROWS} - url_names()) == []


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_matrix(world: Any, row: Any) -> None:
    """Every role on this row, each apart; one failure lists every role that differs."""

    def call(role: str) -> list[str]:
        with each_role_apart(prepared) as w:
            client = w.client(role)
            url = reverse(row.url_name, kwargs=row.kwargs(w)) + row.query
            response = getattr(client, row.method)(url, row.data(w))
            if response.status_code != row.expect[role]:
                return [f"{response.status_code}, expected {row.expect[role]}"]
            return []

    with shared_row_data(world, row.kwargs) as prepared:
        check_every_role(row.id, call)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_view_declares_the_rows_permission(world: Any, row: Any) -> None:
    """What the row expects is what the view says it checks: its declared permission for the
    row's method, and a public page exactly when an anonymous visitor is not sent to log in."""
    with shared_row_data(world, row.kwargs) as prepared:
        with each_role_apart(prepared) as w:
            path = reverse(row.url_name, kwargs=row.kwargs(w))
        guard = guard_of(resolve(path).func)
        assert guard is not None, f"{row.url_name}: the view is not declared with guarded()"
        assert row.permission != UNDECLARED, f"{row.id}: the row does not say its permission"
        assert guard.permission_for(row.method.upper()) == row.permission
        assert guard.public == (not _anonymous_sent_to_login(prepared, row))


def _anonymous_sent_to_login(world: Any, row: Any) -> bool:
    """Whether the row's anonymous 302 is the login redirect. A public page may redirect
    everyone too (a rating, a language switch, signing out to the login page itself): only
    then is the anonymous call made, and the login redirect is the one that says ``next``."""
    if row.expect["anonymous"] != LOGIN:
        return False
    if any(status != LOGIN for status in row.expect.values()):
        return True
    with each_role_apart(world) as w:
        url = reverse(row.url_name, kwargs=row.kwargs(w)) + row.query
        response = getattr(w.client("anonymous"), row.method)(url, row.data(w))
    login = resolve_url(settings.LOGIN_URL)
    return bool(response.url.startswith(f"{login}?{REDIRECT_FIELD_NAME}="))
