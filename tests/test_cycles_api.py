"""The cycles router as mounted in API v1 (/api/v1/cycles/...), called with each role's token."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.cycles.models import Registration, RegistrationStatus
from tests import factories as f
from tests import factories_cycles as fc
from tests.api.helpers import client_for

pytestmark = pytest.mark.django_db


def call(world: Any, role: str, method: str, path: str, json: Any = None) -> Any:
    return client_for(world, role).request(method, path, json)


@pytest.fixture
def setup(world: Any) -> Any:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 1)
    fc.quota(cycle, world.other_body, 1)
    return cycle


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("city_admin", 200),
        ("body_admin", 200),
        ("manager", 403),
        ("reviewer", 404),  # the cycle is not theirs to see
    ],
)
def test_quota_and_caps_by_role(world: Any, setup: Any, role: str, status: int) -> None:
    for suffix in ("quotas", "caps"):
        r = call(world, role, "get", f"/cycles/{setup.code}/{suffix}")
        assert r.status_code == status, (suffix, r.content)
    if role == "body_admin":
        rows = call(world, role, "get", f"/cycles/{setup.code}/quotas").json()
        assert [row["body_id"] for row in rows] == [world.body.pk]


def test_file_review_submit_accept_through_the_api(world: Any, setup: Any) -> None:
    body = {
        "collective_code": world.collective.code,
        "plan_summary": "计划",
        "leader_name": "张敏",
        "leading_group": "张敏 号长",
        "pledge": "承诺",
    }
    r = call(world, "outsider", "post", f"/cycles/{setup.code}/registrations", json=body)
    assert r.status_code == 404
    r = call(world, "manager", "post", f"/cycles/{setup.code}/registrations", json=body)
    assert r.status_code == 201, r.content
    code = r.json()["registration"]["code"]
    other = fc.registration(setup, f.collective(world.body))
    r = call(
        world,
        "manager",
        "post",
        f"/cycles/{setup.code}/registrations/{code}/review",
        json={"action": "accept"},
    )
    assert r.status_code == 403
    r = call(
        world,
        "body_admin",
        "post",
        f"/cycles/{setup.code}/registrations/{code}/review",
        json={"action": "accept"},
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = call(
        world,
        "body_admin",
        "post",
        f"/cycles/{setup.code}/registrations/{other.code}/review",
        json={"action": "accept"},
    )
    assert r.status_code == 400 and "名额上限" in r.json()["detail"]
    call(
        world,
        "body_admin",
        "post",
        f"/cycles/{setup.code}/registrations/{other.code}/review",
        json={"action": "reject", "reason": "超出名额"},
    )
    r = call(
        world, "body_admin", "post", f"/cycles/{setup.code}/submissions/{world.body.pk}/submit"
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = call(
        world,
        "body_admin",
        "post",
        f"/cycles/{setup.code}/submissions/{world.body.pk}/decide",
        json={"action": "accept"},
    )
    assert r.status_code == 403
    r = call(
        world,
        "city_admin",
        "post",
        f"/cycles/{setup.code}/submissions/{world.body.pk}/decide",
        json={"action": "accept"},
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert Registration.objects.get(code=code).status == RegistrationStatus.FILED
    page = call(world, "manager", "get", f"/cycles/{setup.code}/registrations").json()
    assert page["count"] == 1 and page["items"][0]["code"] == code
    caps = call(world, "city_admin", "get", f"/cycles/{setup.code}/caps").json()
    assert (caps["accepted"], caps["cap"]) == (1, 0)
