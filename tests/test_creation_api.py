"""The creation routes of API v1 (router in qnwmh/creation/api.py), called with real tokens
through the mounted API, so its authentication and error handlers apply."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja.testing import TestClient

from qnwmh.api.v1 import api as v1_api
from tests import creation_helpers as ch
from tests import evidence_files as ef
from tests.api.helpers import api_token


class TokenClient:
    """ninja's test client on API v1, authenticating each call with the user's own token."""

    def __init__(self) -> None:
        self.client = TestClient(v1_api)
        self.secrets: dict[int, str] = {}

    def _headers(self, user: Any) -> dict[str, str]:
        if user.pk not in self.secrets:
            self.secrets[user.pk] = api_token(user)[1]
        return {"Authorization": f"Bearer {self.secrets[user.pk]}"}

    def get(self, path: str, *, user: Any, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self._headers(user), **kwargs)

    def post(self, path: str, *, user: Any, **kwargs: Any) -> Any:
        return self.client.post(path, headers=self._headers(user), **kwargs)


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    # Messages are asserted in Chinese; another module may leave English active.
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def api() -> TokenClient:
    return TokenClient()


def test_entries_listed_created_and_evidence_added(world: Any, api: TokenClient):
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


def test_api_refusals(world: Any, api: TokenClient):
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
