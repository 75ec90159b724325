"""The ranking through the API: current and what-if rankings, freezing, the shortlist,
move-up and league support, with the pages' refusals (Chinese messages)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from qnwmh.awards.models import EntryStatus, RemovalKind, Shortlist
from qnwmh.awards.services import entries
from qnwmh.certification.models import RoundStatus
from tests import factories_awards as fa
from tests.api.helpers import client_for

pytestmark = pytest.mark.django_db


def test_ranking_what_if_and_freeze_through_the_api(world: Any) -> None:
    r, apps = fa.scored_round([world.body, world.other_body], per_body=4)
    city, body = client_for(world, "city_admin"), client_for(world, "body_admin")
    base = f"/awards/rounds/{r.code}"

    saved = body.request(
        "put",
        f"{base}/league-support/{apps[2].code}",
        {"score": 30, "reason": "团建工作一般", "figures": {"league_members": 9}},
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["figures"] == {"league_members": 9}
    assert (
        body.request(
            "put", f"{base}/league-support/{apps[4].code}", {"score": 1, "reason": "x"}
        ).status_code
        == 404
    )

    now = city.get(f"{base}/ranking").json()
    assert now["what_if"] is False and now["listed"] == 4 and now["count"] == 8
    assert now["weights"]["league_support_weight_pct"] == 10
    trial = city.get(f"{base}/ranking", league_support_weight_pct=50, appraisal_weight_pct=0).json()
    listed = {i["application_code"] for i in trial["items"] if i["status"] == "listed"}
    assert trial["what_if"] is True and apps[2].code in listed
    over = city.get(f"{base}/ranking", league_support_weight_pct=60, appraisal_weight_pct=50)
    assert over.status_code == 400 and "100%" in over.json()["detail"]
    assert body.get(f"{base}/ranking", tie_break="site,test").status_code == 403
    own = body.get(f"{base}/ranking").json()
    assert {i["body_id"] for i in own["items"]} == {world.body.id}

    frozen = city.post(f"{base}/freeze", {"note": "经研究确定"})
    assert frozen.status_code == 201, frozen.content
    again = city.post(f"{base}/freeze", {})
    assert again.status_code == 400 and "已经确定" in again.json()["detail"]
    code = frozen.json()["code"]
    assert body.get(f"/awards/shortlists/{code}").json()["entries"][0]["body_id"] == world.body.id
    late = body.request(
        "put", f"{base}/league-support/{apps[2].code}", {"score": 90, "reason": "再改"}
    )
    assert late.status_code == 400

    shortlist = Shortlist.objects.get(code=code)
    listed_entry = shortlist.entries.filter(status=EntryStatus.LISTED, body=world.body).first()
    with transaction.atomic():
        entries.remove(
            world.actor("city_admin"), listed_entry, kind=RemovalKind.OBJECTION, reason="异议属实"
        )
    reserve = (
        shortlist.entries.filter(status=EntryStatus.RESERVE, body=world.body)
        .order_by("body_position")
        .first()
    )
    moved = city.post(f"/awards/shortlists/{code}/entries/{reserve.id}/move-up", {"reason": "递补"})
    assert moved.status_code == 200 and moved.json()["status"] == "listed"


def test_a_body_admin_waits_for_scoring_to_close(world: Any) -> None:
    r, _apps = fa.scored_round([world.body], per_body=2, status=RoundStatus.REVIEW)
    got = client_for(world, "body_admin").get(f"/awards/rounds/{r.code}/ranking")
    assert got.status_code == 400 and "评分截止" in got.json()["detail"]
    refused = client_for(world, "city_admin").post(f"/awards/rounds/{r.code}/freeze", {})
    assert refused.status_code == 400 and "评分尚未截止" in refused.json()["detail"]
