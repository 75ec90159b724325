"""The re-review through the API: the manager self-reports, the body assesses, the city decides
otherwise with a reason (the sanction follows), the refusals answer 400 with the message, and
the cases list filters and stays in the caller's scope."""

from __future__ import annotations

from typing import Any

from qnwmh.oversight.models import Sanction
from tests import factories_oversight as fo


def _scores(review: Any, source: str, less: int = 0) -> list[dict[str, Any]]:
    return [
        {"item": i.id, "points": i.points - less}
        for i in review.standard.items.filter(source=source)
    ]


def test_self_report_assess_decide_through_the_api(world: Any, api: Any) -> None:
    r = fo.review([world.title], year=2030)
    case = r.cases.get()
    path = f"/oversight/review-cases/{case.code}"
    got = api("manager").post(path + "/self-report", {"scores": _scores(r, "self")})
    assert got.status_code == 200, got.content
    assert got.json()["status"] == "self_reported"
    bad = api("body_admin").post(path + "/assess", {"scores": [{"item": 999999, "points": 1}]})
    assert bad.status_code == 400 and "本方负责" in bad.json()["detail"]
    got = api("body_admin").post(path + "/assess", {"scores": _scores(r, "body")})
    body = got.json()
    assert got.status_code == 200 and body["status"] == "assessed"
    sources = {s["source"] for s in body["scores"] if s["points"] is not None}
    assert sources == {"self", "body", "computed"}
    refused = api("city_admin").post(path + "/decide", {"outcome": "warning"})
    assert refused.status_code == 400 and "理由" in refused.json()["detail"]
    got = api("city_admin").post(path + "/decide", {"outcome": "warning", "reason": "材料不实"})
    assert got.status_code == 200 and got.json()["outcome"] == "warning"
    assert Sanction.objects.get(case=case).kind == "warning"


def test_the_cases_list_is_scoped_and_filtered(world: Any, api: Any) -> None:
    other = fo.city_title(world.other_body)
    r = fo.review([world.title, other], year=2030)
    r.cases.filter(title=other).update(status="assessed")
    path = f"/oversight/reviews/{r.code}/cases"
    city = api("city_admin").get(path).json()
    assert city["count"] == 2
    assert api("city_admin").get(path, status="assessed").json()["results"][0]["title_code"] == (
        other.code
    )
    assert api("city_admin").get(path, body=world.body.code).json()["count"] == 1
    assert api("city_admin").get(path, body="NOSUCHBODY").json()["count"] == 0
    mine = api("body_admin").get(path).json()
    assert [c["title_code"] for c in mine["results"]] == [world.title.code]
