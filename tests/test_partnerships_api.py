"""Partnerships through API v1, as the pages do it: a body proposes a project and a pair, the
city confirms, a partner's manager reports a milestone and records an activity (into both
creation logs), the body closes; refusals answer 400 with the service's Chinese message and
change nothing; the city's home page lists the proposals to confirm."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from qnwmh.creation.models import LogEntry
from qnwmh.partnerships.models import MentorPair
from tests import factories_partnerships as fp
from tests.api.helpers import client_for


def test_project_and_pair_through_the_api(world: Any) -> None:
    body, city, manager = (client_for(world, r) for r in ("body_admin", "city_admin", "manager"))
    today = timezone.localdate().isoformat()
    r = body.post(
        "/partnerships/joints",
        {
            "name": "双窗口联创",
            "goal": "共享服务标准。",
            "partner_codes": [world.collective.code, fp.titled_partner(world).code],
            "milestones": [{"name": "联合制定标准", "due_on": today}],
        },
    )
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["status"] == "proposed" and len(r.json()["partners"]) == 2
    assert city.post(f"/partnerships/joints/{code}/confirm").json()["status"] == "active"
    r = manager.post(
        f"/partnerships/joints/{code}/milestones/1/done", {"done_on": today, "note": "已印发。"}
    )
    assert r.json()["milestones"][0]["done_on"] == today
    r = body.post(f"/partnerships/joints/{code}/close", {"outcome": "标准统一。"})
    assert r.json()["status"] == "closed"

    r = body.post(
        "/partnerships/pairs",
        {
            "mentor_code": world.collective.code,
            "mentee_code": fp.mentee(world).code,
            "plan": "跟岗",
        },
    )
    assert r.status_code == 201, r.content
    pair = r.json()["code"]
    again = body.post(
        "/partnerships/pairs",
        {
            "mentor_code": fp.titled_partner(world).code,
            "mentee_code": fp.mentee(world).code,
            "plan": "跟岗",
        },
    )
    assert again.status_code == 400
    assert again.json() == {"detail": "该创建集体本周期已有结对，不能重复结对。", "field": "mentee"}
    assert MentorPair.objects.count() == 1
    city.post(f"/partnerships/pairs/{pair}/confirm")
    r = manager.post(
        f"/partnerships/pairs/{pair}/activities",
        {"name": "跟岗学习", "occurred_on": today, "description": "学习服务规范。"},
    )
    assert r.status_code == 201 and r.json()["activities"][0]["logged"] == 2
    assert LogEntry.objects.filter(origin__startswith="partnerships.pairactivity:").count() == 2
    r = body.post(f"/partnerships/pairs/{pair}/close", {"rating": "partly", "review": "帮带到位。"})
    assert r.json()["status"] == "closed" and r.json()["rating"] == "partly"


def test_unknown_or_untitled_partner_is_not_found(world: Any) -> None:
    r = client_for(world, "body_admin").post(
        "/partnerships/joints",
        {
            "name": "联创",
            "goal": "目标",
            "partner_codes": [world.collective.code, world.other_collective.code],
            "milestones": [{"name": "节点", "due_on": "2099-01-01"}],
        },
    )
    assert r.status_code == 404


def test_the_city_is_asked_to_confirm_on_its_home_page(world: Any) -> None:
    fp.joint(world)
    fp.pair(world)
    home = world.client("city_admin").get(reverse("core:home")).content.decode()
    assert "号号联创待确认" in home and "新老结对待确认" in home
    assert (
        "号号联创待确认"
        not in world.client("body_admin").get(reverse("core:home")).content.decode()
    )
