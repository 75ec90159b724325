"""The re-review through the API: the manager self-reports, the body assesses, the city decides
otherwise with a reason (the sanction follows), the refusals answer 400 with the message, and
the cases list filters and stays in the caller's scope."""

from __future__ import annotations

from typing import Any

from qnwmh.oversight.api.review import _case_summaries
from qnwmh.oversight.models import Sanction
from qnwmh.oversight.selectors import review as review_selectors
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


CASE_FILTERS = [
    (None, None, None, None),
    ("BODY", None, None, None),
    (-1, None, None, None),  # an unknown body's code
    (None, "assessed", None, None),
    ("BODY", "assessed", None, "warning"),
    (None, None, "pass", None),
]


def test_the_prepared_cases_list_reads_what_review_cases_reads(world: Any) -> None:
    other, third = fo.city_title(world.other_body), fo.city_title(world.body)
    r = fo.review([world.title, other, third], year=2030)
    r.cases.filter(title__in=[other, third]).update(status="assessed", proposed_outcome="warning")
    r.cases.filter(title=world.title).update(outcome="pass")
    for role in ("city_admin", "body_admin", "manager", "outsider"):
        actor = world.actor(role)
        for body, status, outcome, proposed in CASE_FILTERS:
            body = world.body.pk if body == "BODY" else body
            expected = review_selectors.review_cases(
                actor,
                r,
                body=body,
                status=status or "",
                outcome=outcome or "",
                proposed=proposed or "",
            )
            got = _case_summaries.rows(actor, r.pk, body, status, outcome, proposed)
            assert [c.pk for c in got] == [c.pk for c in expected]
            assert _case_summaries.count_up_to(
                100, actor, r.pk, body, status, outcome, proposed
            ) == (expected.count())
