"""The knowledge test over the API: a leader's sitting from start to result, the paper never
carrying its key, and the server's clock."""

from __future__ import annotations

import json
from typing import Any

from qnwmh.knowledge.models import Attempt
from tests import knowledge_builders as kb
from tests.api.helpers import ApiClient, api_token


def client(world: Any, role: str = "manager") -> ApiClient:
    return ApiClient(api_token(world.users[role])[1])


def test_a_sitting_over_the_api(world: Any) -> None:
    exam = kb.round_exam(world)
    api = client(world)
    listed = api.get("/knowledge/exams").json()
    assert [e["code"] for e in listed] == [exam.code]
    [candidacy] = listed[0]["candidacies"]
    assert candidacy["sitters"] == [
        {"id": world.member.pk, "name": world.member.name, "is_leader": True}
    ]

    started = api.post(
        f"/knowledge/exams/{exam.code}/attempts",
        {"collective_code": world.collective.code, "member_id": world.member.pk},
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert len(body["paper"]) == 6 and body["status"] == "open" and body["seconds_left"] > 0
    assert "correct" not in json.dumps(body)
    assert all(q["right"] is None and q["rule_ref"] == "" for q in body["paper"])

    code = body["code"]
    assert api.get(f"/knowledge/attempts/{code}/result").status_code == 400
    answers = [{"question_id": q["id"], "option_ids": kb.key(q["id"])} for q in body["paper"]]
    saved = api.post(f"/knowledge/attempts/{code}/answers", {"answers": answers[:3]})
    assert saved.status_code == 200
    assert sum(1 for q in saved.json()["paper"] if q["chosen"]) == 3

    done = api.post(f"/knowledge/attempts/{code}/submit").json()
    assert done["status"] == "submitted" and done["score"] == "50.0" and done["passed"] is False
    assert sum(c["total"] for c in done["per_category"]) == 6
    result = api.get(f"/knowledge/attempts/{code}/result").json()
    assert result["score"] == "50.0"
    assert all(q["rule_ref"] for q in result["paper"])

    again = api.post(f"/knowledge/attempts/{code}/answers", {"answers": answers})
    assert again.status_code == 400


def test_a_late_answer_is_refused_and_ignored(world: Any) -> None:
    exam = kb.round_exam(world)
    api = client(world)
    body = api.post(
        f"/knowledge/exams/{exam.code}/attempts",
        {"collective_code": world.collective.code, "member_id": world.member.pk},
    ).json()
    Attempt.objects.filter(code=body["code"]).update(
        deadline=Attempt.objects.get(code=body["code"]).started_at
    )
    q = body["paper"][0]["id"]
    late = api.post(
        f"/knowledge/attempts/{body['code']}/answers",
        {"answers": [{"question_id": q, "option_ids": kb.key(q)}]},
    )
    assert late.status_code == 400 and "超时自动交卷" in late.json()["detail"]
    attempt = Attempt.objects.get(code=body["code"])
    assert attempt.status == "expired" and attempt.answers == {}


def test_another_collective_cannot_be_named(world: Any) -> None:
    exam = kb.round_exam(world)
    response = client(world).post(
        f"/knowledge/exams/{exam.code}/attempts",
        {"collective_code": world.other_collective.code},
    )
    assert response.status_code == 400
    assert not Attempt.objects.exists()
