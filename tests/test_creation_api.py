"""The creation API router, exercised with django-ninja's test client (the API app mounts it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.testing import TestClient

from qnwmh.creation.api import router
from tests import creation_helpers as ch
from tests import evidence_files as ef

API = NinjaAPI(urls_namespace="creation-test")
API.add_router("/", router)


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    # Messages are asserted in Chinese; another module may leave English active.
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def api() -> TestClient:
    return TestClient(API)


def test_entries_listed_created_and_evidence_added(world: Any, api: TestClient):
    cy = ch.cycle()
    ch.register(world.collective, cy)
    manager = world.users["manager"]
    files = MultiValueDict(
        {"files": [ef.upload("a.jpg", ef.jpeg(gps=True)), ef.upload("b.png", ef.png())]}
    )
    response = api.post(
        f"/creation/{world.collective.code}/entries",
        user=manager,
        FILES=files,
        data={
            "kind": "open_week",
            "title": "接口登记开放周",
            "occurred_on": timezone.localdate().isoformat(),
            "participants": 9,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["evidence"]) == 2 and body["evidence"][0]["content_type"] == "image/jpeg"
    more = api.post(
        f"/creation/{world.collective.code}/entries/{body['code']}/evidence",
        user=manager,
        FILES=MultiValueDict({"files": [ef.upload("c.jpg", ef.jpeg(color=(5, 5, 5)))]}),
    )
    assert more.status_code == 201 and len(more.json()) == 1
    listed = api.get(f"/creation/{world.collective.code}/entries", user=manager).json()
    assert listed["count"] == 1 and len(listed["items"][0]["evidence"]) == 3
    compliance = api.get(f"/creation/{world.collective.code}/compliance", user=manager).json()
    assert compliance["required_ok"] is True


def test_api_refusals(world: Any, api: TestClient):
    cy = ch.cycle()
    ch.register(world.collective, cy)
    outsider, manager = world.users["outsider"], world.users["manager"]
    assert api.get(f"/creation/{world.collective.code}/entries", user=outsider).status_code == 404
    bad = api.post(
        f"/creation/{world.collective.code}/entries",
        user=manager,
        FILES=MultiValueDict({"files": [ef.upload("x.jpg", b"<html></html>")]}),
        data={"kind": "job_drill", "title": "t", "occurred_on": timezone.localdate().isoformat()},
    )
    assert bad.status_code == 400 and "不支持该文件类型" in bad.json()["detail"]
    assert api.get("/creation/compliance", user=manager).status_code == 403
    rows = api.get("/creation/compliance", user=world.users["body_admin"]).json()
    assert [r["collective"] for r in rows] == [world.collective.code]
