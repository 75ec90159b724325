"""The scoring API end to end for a reviewer (with a token issued like everyone's), and the
staff reads."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import ApiClient, api_token
from tests.scoring_helpers import scores, setup


def _client(user: Any) -> ApiClient:
    return ApiClient(api_token(user)[1])


def test_a_reviewer_saves_submits_and_then_sees_the_others(world: Any) -> None:
    s = setup(world)
    from qnwmh.certification.services import scoring
    from tests import factories as f

    scoring.save_sheet(
        f.actor(s.chair.user), assignment=s.chairs, score_set="site", scores=scores(66), submit=True
    )
    client = _client(world.users["reviewer"])
    mine = client.get("/certification/scoring/assignments")
    assert mine.status_code == 200 and [a["code"] for a in mine.json()] == [s.mine.code]
    path = f"/certification/scoring/assignments/{s.mine.code}/sheets/site"
    first = client.get(path).json()
    assert first["status"] == "draft" and first["code"] is None and first["peers"] is None
    draft = client.request("put", path, {"scores": scores(70, systems="")})
    assert draft.status_code == 200 and draft.json()["scores"]["systems"]["points"] == ""
    bad = client.post(path + "/submit", {"scores": scores(70, systems="", outcomes="20")})
    assert bad.status_code == 400
    problems = {e["loc"][0]: e["msg"] for e in bad.json()["errors"]}
    assert problems == {
        "systems_points": "请为“制度建设”打分。",
        "outcomes_comment": "“创建成效”得分低于满分的 60%，请填写评语。",
    }
    done = client.post(path + "/submit", {"scores": scores(70)})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "submitted" and body["total"] == "70.00"
    assert [p["total"] for p in body["peers"]] == ["66.00"]
    again = client.request("put", path, {"scores": scores(90)})
    assert again.status_code == 400 and "已提交" in again.json()["detail"]


def test_another_reviewers_sheet_is_not_found(world: Any) -> None:
    s = setup(world)
    client = _client(world.users["reviewer"])
    response = client.get(f"/certification/scoring/assignments/{s.chairs.code}/sheets/site")
    assert response.status_code == 404


def test_the_chair_reopens_through_the_api(world: Any) -> None:
    s = setup(world)
    from qnwmh.certification.services import scoring
    from tests import factories as f

    sheet = scoring.save_sheet(
        f.actor(s.reviewer.user), assignment=s.mine, score_set="site", scores=scores(), submit=True
    )
    third = _client(s.third.user).post(
        f"/certification/scoring/sheets/{sheet.code}/reopen", {"reason": "x"}
    )
    assert third.status_code == 404
    chair = _client(s.chair.user).post(
        f"/certification/scoring/sheets/{sheet.code}/reopen", {"reason": "请复核第二项"}
    )
    assert chair.status_code == 200 and chair.json()["status"] == "reopened"


def test_results_hide_scores_from_bodies_until_scoring_closes(world: Any) -> None:
    s = setup(world)
    from qnwmh.certification.services import scoring
    from tests import factories as f

    scoring.save_sheet(
        f.actor(s.reviewer.user),
        assignment=s.mine,
        score_set="site",
        scores=scores(82),
        submit=True,
    )
    path = f"/certification/scoring/rounds/{s.round.code}/results"
    city = ApiClient(api_token(world.users["city_admin"])[1]).get(path).json()
    assert city["count"] == 1 and city["results"][0]["site_score"] == "82.00"
    body = ApiClient(api_token(world.users["body_admin"])[1]).get(path).json()
    assert body["count"] == 1 and body["results"][0]["site_score"] is None
    s.round.status = "closed"
    s.round.save()
    body = ApiClient(api_token(world.users["body_admin"])[1]).get(path).json()
    assert body["results"][0]["site_score"] == "82.00"


def test_defence_sessions_list_their_drawn_order(world: Any) -> None:
    import datetime

    from django.utils import timezone

    from qnwmh.certification.services import defence

    s = setup(world)
    city = world.actor("city_admin")
    session = defence.create_session(
        city, panel=s.panel, starts_at=timezone.now() + datetime.timedelta(days=1), venue="报告厅"
    )
    defence.draw_session(city, session=session, seed=7)
    path = f"/certification/scoring/rounds/{s.round.code}/defence-sessions"
    [out] = ApiClient(api_token(world.users["city_admin"])[1]).get(path).json()
    assert out["seed"] == 7 and out["venue"] == "报告厅"
    assert out["slots"] == [
        {"order": 1, "application": s.app.code, "collective": world.collective.name}
    ]
    refused = ApiClient(api_token(world.users["body_admin"])[1]).get(path)
    assert refused.status_code == 403
