"""The Open311-like supervision API as mounted in API v1 (/api/v1/supervision/...)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qnwmh.supervision.models import Complaint
from qnwmh.supervision.selectors import ComplaintFilters, complaint_list, complaint_rows
from tests import supervision_builders as sb
from tests.api.helpers import api_token

BASE = "/api/v1/supervision"


class _Client:
    """JSON calls under /api/v1/supervision; ``user=`` sends that user's API token."""

    def _headers(self, user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token(user)[1]}"} if user is not None else {}

    def get(self, path: str, user: Any = None) -> Any:
        return Client().get(BASE + path, headers=self._headers(user))

    def post(self, path: str, json: Any = None, user: Any = None, ip: str = "127.0.0.1") -> Any:
        return Client(REMOTE_ADDR=ip).post(
            BASE + path, json or {}, content_type="application/json", headers=self._headers(user)
        )


client = _Client()


def create(world: Any, ip: str = "198.51.100.7", **kw: Any) -> Any:
    body = {
        "collective_code": world.collective.code,
        "service_code": "complaint.efficiency",
        "description": "办事要跑三次。",
        "first_name": sb.PLANTED_NAME,
        "phone": sb.PLANTED_PHONE,
    }
    body.update(kw)
    return client.post("/requests", json=body, ip=ip)


def test_services_list_every_kind_and_category():
    r = client.get("/services")
    assert r.status_code == 200
    codes = {s["service_code"] for s in r.json()}
    assert {"complaint.attitude", "praise.other", "suggestion.efficiency"} <= codes


def test_create_and_query_without_identity(world):
    r = create(world)
    assert r.status_code == 201, r.content
    code = r.json()["service_request_id"]
    c = Complaint.objects.get(code=code)
    assert c.channel == "api" and c.filer_phone == sb.PLANTED_PHONE
    r = client.get(f"/requests/{code}")
    assert r.status_code == 200 and r.json()["status"] == "received"
    assert sb.PLANTED_NAME not in r.content.decode() and sb.PLANTED_PHONE not in r.content.decode()
    assert client.get("/requests/NOSUCHCODE234567").status_code == 404


@pytest.mark.parametrize(
    "patch,status",
    [
        ({"collective_code": "NOPE"}, 404),
        ({"service_code": "complaint.nope"}, 422),
        ({"description": ""}, 400),
        ({"phone": "call me"}, 400),
    ],
)
def test_create_guards(world, patch, status):
    assert create(world, **patch).status_code == status
    assert Complaint.objects.count() == 0


def test_create_is_rate_limited_per_ip(world, settings):
    from qnwmh.supervision import services

    limit = services.LIMITS["complaints_per_ip"][0]
    answers = [create(world).status_code for _ in range(limit + 2)]
    assert answers == [201] * limit + [429, 429]
    assert create(world, ip="198.51.100.8").status_code == 201


def test_hidden_text_not_returned_publicly(world):
    c = sb.complaint(world.collective, text="骂人的话", text_hidden=True)
    assert "骂人的话" not in client.get(f"/requests/{c.code}").content.decode()


def test_staff_endpoints_scoped(world):
    mine = sb.complaint(world.collective)
    theirs = sb.complaint(world.other_collective)
    assert client.get("/staff/requests").status_code == 401
    r = client.get("/staff/requests", user=world.users["body_admin"])
    assert [x["service_request_id"] for x in r.json()] == [mine.code]
    assert (
        client.get(f"/staff/requests/{theirs.code}", user=world.users["body_admin"]).status_code
        == 404
    )
    assert client.get("/staff/requests", user=world.users["manager"]).status_code == 403
    r = client.get(f"/staff/requests/{mine.code}", user=world.users["city_admin"])
    assert r.status_code == 200 and r.json()["collective_code"] == world.collective.code


def test_staff_actions_through_services(world):
    c = sb.complaint(world.collective)
    url = f"/staff/requests/{c.code}/actions"
    assert (
        client.post(url, json={"action": "acknowledge"}, user=world.users["outsider"]).status_code
        == 404
    )
    assert (
        client.post(url, json={"action": "explode"}, user=world.users["body_admin"]).status_code
        == 422
    )
    r = client.post(url, json={"action": "acknowledge"}, user=world.users["body_admin"])
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    r = client.post(url, json={"action": "close"}, user=world.users["body_admin"])
    assert r.status_code == 400 and "当前状态" in r.json()["detail"]


STAFF_FILTERS = [
    {},
    {"state": "open"},
    {"state": "overdue", "ack": "late"},
    {"status": "received", "finish": "on_time"},
    {"year": "2020"},
    {"q": "窗口"},
]


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "outsider"])
def test_the_prepared_staff_list_reads_what_its_queryset_reads(world: Any, role: str) -> None:
    for days_ago in (0, 5, 30):
        sb.complaint(world.collective, days_ago=days_ago)
        sb.complaint(world.other_collective, days_ago=days_ago)
    actor = world.actor(role)
    for params in STAFF_FILTERS:
        filters = ComplaintFilters.from_query(params)
        listed = complaint_list(actor, filters)
        rows = complaint_rows(actor, filters)
        assert [c.pk for c in rows[0:100]] == [c.pk for c in listed]
        assert [c.pk for c in rows[1:4]] == [c.pk for c in listed[1:4]]
