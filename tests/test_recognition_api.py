"""A story through the API, as the pages do it: the body drafts, edits and submits it, the city
is refused publishing it before approval (400, nothing changed), approves and publishes it,
and the public API lists it with its photos' public URLs."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.recognition.models import Story, StoryStatus
from tests.api.helpers import client_for

pytestmark = pytest.mark.django_db


def test_a_story_through_the_api(world: Any) -> None:
    body, city = client_for(world, "body_admin"), client_for(world, "city_admin")
    made = body.request(
        "post",
        "/recognition/stories",
        {"collective_code": world.collective.code, "heading": "暖心窗口", "text": "延时服务。"},
    )
    assert made.status_code == 201, made.content
    code = made.json()["code"]
    changed = body.request("patch", f"/recognition/stories/{code}", {"summary": "午间开放。"})
    assert changed.json()["summary"] == "午间开放。"
    assert body.request("post", f"/recognition/stories/{code}/submit").status_code == 200

    refused = city.request("post", f"/recognition/stories/{code}/publish")
    assert refused.status_code == 400
    assert "只有审核通过的典型案例才能发布" in refused.json()["detail"]
    assert Story.objects.get(code=code).status == StoryStatus.SUBMITTED

    assert city.request("post", f"/recognition/stories/{code}/approve").status_code == 200
    published = city.request("post", f"/recognition/stories/{code}/publish")
    assert published.json()["status"] == StoryStatus.PUBLISHED

    public = client_for(world, "anonymous").request("get", "/recognition/public/stories")
    assert [s["code"] for s in public.json()["results"]] == [code]
    assert public.json()["results"][0]["photo_urls"] == []


def test_a_reward_on_another_collectives_title_is_refused(world: Any) -> None:
    from tests import factories as f

    other = f.title(world.other_collective)
    response = client_for(world, "city_admin").request(
        "post",
        "/recognition/rewards",
        {
            "collective_code": world.collective.code,
            "title_code": other.code,
            "kind": "honorary",
            "name": "优秀集体",
            "basis": "成效突出。",
            "decision_number": "中团发〔2026〕1号",
            "decided_on": "2026-01-05",
            "decided_by_org": "共青团中山市委员会",
        },
    )
    assert response.status_code == 400 and response.json()["field"] == "title_code"
