"""The reviewers part through the API: city staff draw and read; a reviewer answers an
invitation and declares a conflict, with the same refusals as the pages (the reviewer's token
is issued by the same service as everyone's)."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.models import Assignment, AssignmentStatus, Panel
from tests import factories_certification as fcert
from tests.api.helpers import ApiClient, api_token


def _setup(world: Any) -> dict[str, Any]:
    rnd = fcert.cert_round()
    area = fcert.area([world.town, world.other_town])
    mine = fcert.reviewer(user=world.users["reviewer"], areas=[area])
    others = [fcert.reviewer(areas=[area]) for _ in range(2)]
    panel = Panel.objects.create(round=rnd, area=area)
    panel.members.set([mine, *others])
    app = fcert.application(rnd, world.collective, status="recommended", area_=area)
    return {"round": rnd, "area": area, "mine": mine, "app": app}


def test_city_draws_and_reads_through_the_api(world: Any) -> None:
    s = _setup(world)
    city = ApiClient(api_token(world.users["city_admin"])[1])
    base = f"/certification/rounds/{s['round'].code}"
    response = city.post(f"{base}/draws", {"area": s["area"].code, "seed": 99})
    assert response.status_code == 201, response.content
    assert response.json()["seed"] == 99 and response.json()["assignments"] == 3
    again = city.post(f"{base}/draws", {"area": s["area"].code})
    assert again.status_code == 400 and "没有待分配" in again.json()["detail"]
    assert len(city.get(f"{base}/assignments").json()) == 3
    assert city.get(f"{base}/panels").json()[0]["area"] == s["area"].code
    assert [d["seed"] for d in city.get(f"{base}/draws").json()] == [99]


def test_a_too_small_pool_is_a_clear_400(world: Any) -> None:
    s = _setup(world)
    s["round"].cycle.rules_snapshot = {
        **s["round"].cycle.rules_snapshot,
        "reviewers_per_application": 5,
    }
    s["round"].cycle.save()
    city = ApiClient(api_token(world.users["city_admin"])[1])
    response = city.post(f"/certification/rounds/{s['round'].code}/draws", {"area": s["area"].code})
    assert response.status_code == 400
    assert "超出评审组人数" in response.json()["detail"]
    assert not Assignment.objects.exists()


def test_reviewer_answers_and_declares(world: Any) -> None:
    s = _setup(world)
    a = fcert.assignment(s["app"], s["mine"], status="invited")
    me = ApiClient(api_token(world.users["reviewer"])[1])
    listed = me.get("/certification/review/assignments").json()
    assert [x["code"] for x in listed] == [a.code]
    response = me.post(f"/certification/review/assignments/{a.code}/decline", {"reason": ""})
    assert response.status_code == 400 and "谢绝理由" in response.json()["detail"]
    response = me.post(f"/certification/review/assignments/{a.code}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = me.post(
        f"/certification/review/applications/{s['app'].code}/conflict", {"reason": "曾在该单位任职"}
    )
    assert response.status_code == 201
    a.refresh_from_db()
    assert a.status == AssignmentStatus.CANCELLED
    # Conflicted now: the application is not found for this reviewer.
    again = me.post(
        f"/certification/review/applications/{s['app'].code}/conflict", {"reason": "再次"}
    )
    assert again.status_code == 404


def test_someone_elses_invitation_is_not_found(world: Any) -> None:
    s = _setup(world)
    other = fcert.assignment(s["app"], fcert.reviewer(areas=[s["area"]]), status="invited")
    me = ApiClient(api_token(world.users["reviewer"])[1])
    assert me.post(f"/certification/review/assignments/{other.code}/accept").status_code == 404


def test_city_assigns_and_cancels_by_hand(world: Any) -> None:
    s = _setup(world)
    city = ApiClient(api_token(world.users["city_admin"])[1])
    base = f"/certification/rounds/{s['round'].code}/assignments"
    made = city.post(base, {"application": s["app"].code, "reviewer": s["mine"].code})
    assert made.status_code == 201 and made.json()["status"] == "invited"
    twice = city.post(base, {"application": s["app"].code, "reviewer": s["mine"].code})
    assert twice.status_code == 400 and "已在评审" in twice.json()["detail"]
    code = made.json()["code"]
    assert city.post(f"/certification/assignments/{code}/cancel", {"reason": ""}).status_code == 400
    done = city.post(f"/certification/assignments/{code}/cancel", {"reason": "调整"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    body = ApiClient(api_token(world.users["body_admin"])[1])
    assert (
        body.post(base, {"application": s["app"].code, "reviewer": s["mine"].code}).status_code
        == 403
    )
