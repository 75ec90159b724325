"""The notice part through the API: the public files an objection and tracks it (never the
contact nor the findings), city staff uphold it and the public notice shows the collective
removed; body admins read masked phones; intake is rate-limited with 429."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.awards.models import EntryStatus
from qnwmh.awards.services import notice as services
from tests import factories_awards as fa
from tests import notice_builders as nb
from tests.api.helpers import ApiClient, client_for

pytestmark = pytest.mark.django_db

OBJECTION = {"contact_name": "王五", "contact_phone": "13800138000", "text": "窗口无人值守。"}


def test_objection_filed_tracked_and_upheld_through_the_api(world: Any) -> None:
    s = nb.shortlist(world.body)
    notice = fa.notice(s)
    public = ApiClient(None)
    filed = public.post(f"/awards/notices/{notice.code}/items/1/objections", OBJECTION)
    assert filed.status_code == 201, filed.content
    code = filed.json()["tracking_code"]
    tracked = public.get(f"/awards/objections/track/{code}").json()
    assert tracked["status"] == "received" and tracked["public_reason"] == ""
    assert "13800138000" not in str(tracked) and "王五" not in str(tracked)

    body = client_for(world, "body_admin").get("/awards/objections").json()
    assert body["count"] == 1 and body["items"][0]["contact_phone"] == "138****8000"
    oid = body["items"][0]["id"]
    assert client_for(world, "outsider").get(f"/awards/objections/{oid}").status_code == 404

    city = client_for(world, "city_admin")
    decided = city.post(
        f"/awards/objections/{oid}/decide",
        {"outcome": "upheld", "findings": "内部核查记录", "public_reason": "经核查属实。"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    tracked = public.get(f"/awards/objections/track/{code}").json()
    assert tracked["outcome"] == "upheld" and tracked["public_reason"] == "经核查属实。"
    assert "内部核查记录" not in str(tracked)
    detail = public.get(f"/awards/notices/{notice.code}").json()
    first = detail["items"][0]
    assert first["removed"] and first["removal_reason"] == "经核查属实。"
    again = public.post(f"/awards/notices/{notice.code}/items/1/objections", OBJECTION)
    assert again.status_code == 400 and "不在拟认定名单" in again.json()["detail"]


def test_inspection_and_publishing_through_the_api(world: Any) -> None:
    s = nb.shortlist(world.body)
    city = client_for(world, "city_admin")
    a, b = s.entries.filter(status=EntryStatus.LISTED).order_by("city_position")
    ok = city.post(
        f"/awards/shortlists/{s.code}/inspections/{a.pk}",
        {"visited_on": "2026-01-05", "inspectors": "张三", "findings": "好", "outcome": "passed"},
    )
    assert ok.status_code == 201 and ok.json()["inspection"]["outcome"] == "passed"
    refused = city.post(
        f"/awards/shortlists/{s.code}/notices",
        {
            "heading": "公示",
            "intro": "现予公示。",
            "contact": "电话",
            "items": [{"entry_id": b.pk, "summary": "简介"}],
        },
    )
    assert refused.status_code == 400 and "未通过考察" in refused.json()["detail"]
    published = city.post(
        f"/awards/shortlists/{s.code}/notices",
        {
            "heading": "公示",
            "intro": "现予公示。",
            "contact": "电话",
            "items": [{"entry_id": a.pk, "summary": "简介"}],
        },
    )
    assert published.status_code == 201
    assert [i["position"] for i in published.json()["items"]] == [1]
    listing = client_for(world, "body_admin").get(f"/awards/shortlists/{s.code}/inspections")
    assert [r["entry_id"] for r in listing.json()][:2] == [a.pk, b.pk]


def test_public_objections_are_rate_limited_with_429(world: Any) -> None:
    notice = fa.notice(nb.shortlist(world.body))
    public = ApiClient(None)
    url = f"/awards/notices/{notice.code}/items/1/objections"
    for _i in range(services.LIMITS["objections_per_ip"][0]):
        assert public.post(url, OBJECTION).status_code == 201
    limited = public.post(url, OBJECTION)
    assert limited.status_code == 429 and "频繁" in limited.json()["detail"]
