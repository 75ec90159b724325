"""The spot-check API as the pages: a draw through it, a visit planned covert, recorded and
closed by the body, the manager seeing it only once closed, and the public reproduction."""

from __future__ import annotations

from django.utils import timezone

from qnwmh.oversight.api.spotcheck import _visits
from qnwmh.oversight.models import Visit
from qnwmh.oversight.selectors.spotcheck import VisitFilters
from qnwmh.oversight.services.spotcheck import CHECKLIST_KEYS
from tests import factories_oversight as fo
from tests.api.helpers import client_for


def test_draw_visit_and_reproduce_through_the_api(world):
    for _ in range(4):
        fo.city_title(world.body)
    city, body, manager = (client_for(world, r) for r in ("city_admin", "body_admin", "manager"))
    year = timezone.localdate().year
    r = city.post("/oversight/spot-checks", {"year": year, "pct": 100, "seed": "api"})
    assert r.status_code == 201, r.content
    check = r.json()
    assert check["population"] == 5 and len(check["drawn"]) == 5
    assert sum(s["count"] for s in check["strata"]) == 5
    assert city.post("/oversight/spot-checks", {"year": year}).status_code == 400

    visit = Visit.objects.get(title=world.title)
    today = timezone.localdate().isoformat()
    url = f"/oversight/visits/{visit.code}"
    assert body.post(url + "/plan", {"planned_on": today, "covert": True}).status_code == 200
    findings = [{"item": k, "ok": k != "sign", "note": ""} for k in CHECKLIST_KEYS]
    r = body.post(
        url + "/record",
        {
            "visited_on": today,
            "inspectors": "暗访组",
            "findings": findings,
            "summary": "牌匾未悬挂",
            "result": "failed",
        },
    )
    assert r.status_code == 200 and r.json()["result"] == "failed"
    assert manager.get("/oversight/visits").json()["count"] == 0
    assert manager.get(url).status_code == 404
    assert manager.post(url + "/close").status_code == 404
    assert body.post(url + "/close").json()["status"] == "closed"
    mine = manager.get("/oversight/visits").json()
    assert mine["count"] == 1 and mine["results"][0]["code"] == visit.code

    anon = client_for(world, "anonymous")
    same = anon.get(f"/oversight/public/spot-checks/{check['code']}", seed="api").json()
    assert same["matches"] is True and same["redrawn"] == check["drawn"]
    assert len(same["sample"]) == 5


def test_the_prepared_visit_list_reads_what_its_queryset_reads(world):
    year = timezone.localdate().year
    check = fo.spot_check(year)
    fo.visit(world.title, check=check)
    fo.visit(world.title, result="failed", covert=True)
    fo.visit(fo.city_title(world.other_body), result="passed", check=check)
    combos = [
        VisitFilters(),
        VisitFilters(year=year),
        VisitFilters(status="recorded", covert="covert"),
        VisitFilters(result="pending", body=world.body.code),
        VisitFilters(check=check.code, covert="announced"),
    ]
    for role in ("city_admin", "body_admin", "manager", "outsider"):
        actor = world.actor(role)
        for filters in combos:
            expected = list(_visits.build(actor, filters))
            assert [v.pk for v in _visits.rows(actor, filters)] == [v.pk for v in expected]
            assert _visits.count_up_to(100, actor, filters) == len(expected)
