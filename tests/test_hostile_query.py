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


INT_URLS = {
    "accounts:role_revoke",
    "awards:inspection",
    "awards:inspection_record",
    "awards:objection",
    "awards:objection_assign",
    "awards:objection_decide",
    "awards_public:objection",
    "awards:move_up",
    "collectives:member_edit",
    "consultation:dispose",
    "exchange:withdraw",
    "collectives:member_remove",
    "cycles:quota_override",
    "cycles:quota_headcount",
    "cycles:submission_submit",
    "cycles:submission_rank",
    "cycles:submission_decide",
    "notices:mail_retry",
    "notices:read",
    "orgs:town_edit",
    "orgs:sector_edit",
    "oversight:standard_item",
    "oversight:standard_item_move",
    "oversight:standard_item_remove",
    "oversight_public:revocations",
    "partnerships:milestone_done",
    "supervision:holiday_deactivate",
    "supervision:photo",
    "training:certificate",
}
INT_ROWS = [row for row in all_rows() if row.url_name in INT_URLS]


def test_every_integer_path_parameter_is_probed() -> None:
    from django.urls import get_resolver

    def names(patterns: Any, prefix: str = "") -> set[str]:
        out: set[str] = set()
        for p in patterns:
            if hasattr(p, "url_patterns"):
                out |= names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif p.name and "<id:" in str(p.pattern):
                out.add(prefix + p.name)
        return out

    assert names(get_resolver().url_patterns) == INT_URLS
    assert {row.url_name for row in INT_ROWS} == INT_URLS


@pytest.mark.parametrize("row", INT_ROWS, ids=[r.id for r in INT_ROWS])
def test_a_30_digit_id_in_the_path_is_not_found(world: Any, row: Any) -> None:
    sentinel = 7654321
    kwargs = {k: sentinel if isinstance(v, int) else v for k, v in row.kwargs(world).items()}
    url = reverse(row.url_name, kwargs=kwargs)
    assert f"/{sentinel}/" in url, row.id
    for huge in ("9" * 30, str(2**31)):
        response = getattr(world.client("city_admin"), row.method)(
            url.replace(f"/{sentinel}/", f"/{huge}/"), row.data(world)
        )
        assert response.status_code == 404, row.id


def test_ids_in_paths_use_the_bounded_converter() -> None:
    import pathlib

    offenders = [
        str(path)
        for path in pathlib.Path("qnwmh").rglob("*urls*.py")
        if "<int:" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
