"""Malformed query strings never answer 5xx: every GET page of the matrix, as every role that
can open it, with digits Python's ``isdigit`` accepts but ``int`` refuses, ids past any column's
range, impossible dates and a NUL byte."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.matrix import all_rows

HOSTILE = dict.fromkeys(
    ("town", "body", "sector", "collective", "cycle", "stars", "page", "year", "month"), "²"
) | {
    "status": "²",
    "state": "\x00",
    "kind": "x" * 300,
    "level": "²",
    "q": "\x00" + "搜" * 500,
    "since": "0001-01-01",
    "until": "99999-12-31",
    "from": "²",
    "to": "1900-02-30",
    "code": "AB/CD",
    "actor": "²",
    "object": "/",
}
HUGE = dict.fromkeys(("town", "body", "sector", "cycle", "page", "stars", "actor"), "1" * 30)

GET_ROWS = [row for row in all_rows() if row.method == "get"]


@pytest.mark.parametrize("row", GET_ROWS, ids=[r.id for r in GET_ROWS])
def test_hostile_query_never_500(world: Any, row: Any) -> None:
    base = reverse(row.url_name, kwargs=row.kwargs(world))
    for role, status in row.expect.items():
        if status != 200:
            continue
        client = world.client(role)
        for params in (HOSTILE, HUGE):
            response = client.get(base + "?" + urlencode(params))
            assert response.status_code < 500, f"{row.id} as {role} with {params}"


@pytest.mark.parametrize("received", ["0001-01-01T09:00", "1900-01-01T09:00"])
def test_staff_complaint_dated_long_ago_is_refused_with_a_message(world: Any, received: str):
    from qnwmh.supervision.models import Complaint

    response = world.client("body_admin").post(
        reverse("supervision:enter"),
        {
            "collective": world.collective.pk,
            "channel": "phone",
            "received_at": received,
            "kind": "complaint",
            "category": "other",
            "text": "窗口服务态度差。",
        },
    )
    assert response.status_code == 200
    assert "接收时间不能早于一年前" in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("typed", ["AB/CD", "../../etc", "编号"])
def test_track_lookup_with_a_malformed_code_says_nothing_was_found(world: Any, typed: str):
    response = world.client("anonymous").get(
        reverse("supervision_public:track_lookup"), {"code": typed}
    )
    assert response.status_code == 200
    assert "没有找到这个查询码的投诉" in response.content.decode()
