"""The nomination API end to end: a round, the eligible titles, nominating with its
refusals (400 with the Chinese reason, nothing changed), withdrawal, the outcome recording
the provincial title and the exemption, the package; lists at constant queries."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qnwmh.awards.models import Nomination
from tests import factories as f
from tests.api.helpers import client_for

TODAY = timezone.localdate()
ROUNDS = "/awards/nomination-rounds"


def _round(world: Any, quota: int = 1) -> dict[str, Any]:
    response = client_for(world, "city_admin").post(
        ROUNDS,
        {
            "year": TODAY.year,
            "name": "省级青年文明号推报",
            "quota": quota,
            "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
            "basis": "粤青联〔2026〕12号",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_nomination_through_the_api(world: Any) -> None:
    city = client_for(world, "city_admin")
    r = _round(world, quota=1)
    base = f"{ROUNDS}/{r['code']}"
    recent = f.title(
        f.collective(world.body, name="新获称号集体"),
        awarded_on=TODAY - datetime.timedelta(days=30),
    )
    eligible = city.get(base + "/eligible-titles").json()
    assert [t["code"] for t in eligible["results"]] == [world.title.code]
    assert city.get(base + "/eligible-titles", search="不存在").json()["count"] == 0

    refused = city.post(base + "/nominations", {"title_code": recent.code, "recommendation": "推"})
    assert refused.status_code == 400 and "持有不满 1 年" in refused.json()["detail"]
    assert refused.json()["field"] == "title"
    created = city.post(
        base + "/nominations", {"title_code": world.title.code, "recommendation": "推荐。"}
    )
    assert created.status_code == 201
    n = created.json()
    assert (n["status"], n["position"], n["title"]["code"]) == ("nominated", 1, world.title.code)
    other = f.title(f.collective(world.body, name="另一集体"))
    full = city.post(base + "/nominations", {"title_code": other.code, "recommendation": "推荐"})
    assert full.status_code == 400 and "名额已满" in full.json()["detail"]
    assert Nomination.objects.count() == 1
    assert city.get(base).json()["nominated"] == 1

    path = f"{base}/nominations/{n['code']}"
    bad = city.post(path + "/outcome", {"outcome": "not_granted", "outcome_on": TODAY.isoformat()})
    assert bad.status_code == 400 and "原因" in bad.json()["detail"]
    granted = city.post(
        path + "/outcome",
        {"outcome": "granted", "outcome_on": TODAY.isoformat(), "session_no": 9},
    ).json()
    assert granted["status"] == "granted" and granted["provincial_title_code"]
    assert "免于市级复核" in granted["exempt_from_city_review"]
    provincial = world.collective.titles.get(code=granted["provincial_title_code"])
    assert (provincial.level, provincial.session_no, provincial.year) == (
        "provincial",
        9,
        TODAY.year,
    )
    again = city.post(path + "/withdraw", {"reason": "晚了"})
    assert again.status_code == 400

    body = client_for(world, "body_admin")
    assert [x["code"] for x in body.get(base + "/nominations").json()] == [n["code"]]
    assert client_for(world, "outsider").get(base + "/nominations").json() == []
    response = body.get(path + "/dossier")
    assert response["Content-Type"] == "application/zip"
    assert "说明.txt" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    export = body.get(base + "/export")
    assert export.status_code == 200 and b"".join(export.streaming_content)[:2] == b"PK"


def test_withdraw_through_the_api_frees_the_place(world: Any) -> None:
    city = client_for(world, "city_admin")
    r = _round(world, quota=1)
    base = f"{ROUNDS}/{r['code']}"
    n = city.post(
        base + "/nominations", {"title_code": world.title.code, "recommendation": "推荐。"}
    ).json()
    out = city.post(f"{base}/nominations/{n['code']}/withdraw", {"reason": "集体主动放弃"})
    assert out.status_code == 200 and out.json()["status"] == "withdrawn"
    assert city.get(base).json()["nominated"] == 0
    assert city.patch(base, {"quota": 2}).json()["quota"] == 2


def test_the_lists_cost_the_same_queries_at_any_size(world: Any) -> None:
    city = client_for(world, "city_admin")
    r = _round(world, quota=50)
    base = f"{ROUNDS}/{r['code']}"

    def grow() -> None:
        for _ in range(3):
            t = f.title(f.collective(world.body))
            f.title(f.collective(world.body))
            city.post(base + "/nominations", {"title_code": t.code, "recommendation": "推荐"})

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert city.get(path).status_code == 200
        return len(ctx.captured_queries)

    for path in (ROUNDS, base + "/nominations", base + "/eligible-titles"):
        grow()
        count(path)
        small = count(path)
        grow()
        grow()
        assert count(path) == small, path
