"""The issue's scenario end to end: 30 applications from six bodies in three areas, nine
reviewers, three drawn for each application with no conflict, every invitation answered and
every sheet scored — half through the pages, half through the API — then the round
aggregated by city staff, with the one application the reviewers split on flagged."""

from __future__ import annotations

import statistics
from collections import Counter
from decimal import Decimal
from typing import Any

from django.urls import reverse

from qnwmh.certification.conflicts import conflict_map
from qnwmh.certification.models import (
    Application,
    ApplicationResult,
    Assignment,
    AssignmentStatus,
    ScoreSet,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.certification.services import reviewers as pool
from qnwmh.collectives.models import Collective
from qnwmh.programme.models import Dimension
from tests import factories as f
from tests import factories_certification as fcert
from tests.api.helpers import ApiClient, api_token


def _points(app_index: int, reviewer_index: int) -> int:
    """Scores that agree within a few points, except on application 7 where one reviewer is
    far below the others."""
    if app_index == 7 and reviewer_index == 0:
        return 40
    return 70 + (app_index + reviewer_index) % 5


def _scores(points: int) -> dict[str, dict[str, str]]:
    return {d: {"points": str(points), "comment": "现场材料齐全。"} for d in Dimension.values}


def _form(points: int) -> dict[str, str]:
    data = {"action": "submit"}
    for dim, row in _scores(points).items():
        data[f"{dim}_points"] = row["points"]
        data[f"{dim}_comment"] = row["comment"]
    return data


def test_thirty_applications_scored_through_pages_and_api(world: Any) -> None:
    city = world.actor("city_admin")
    towns = [f.town(f"全程镇{i}") for i in range(6)]
    bodies = [f.body(t) for t in towns]
    rnd = fcert.cert_round()
    apps = []
    for i in range(30):
        c = f.collective(bodies[i % 6], name=f"全程集体{i:02d}", members=1)
        Collective.objects.filter(pk=c.pk).update(work_unit=f"全程单位{i % 10}号")
        apps.append(fcert.application(rnd, c, status="recommended"))
    areas = [
        pool.area_create(city, name=f"全程片区{k}", towns=towns[2 * k : 2 * k + 2])
        for k in range(3)
    ]
    reviewers = [
        fcert.reviewer(
            areas=[areas[j % 3], areas[(j + 1) % 3]],
            body=bodies[j] if j < 4 else None,
            employer="全程单位3号" if j == 5 else f"评委单位{j}",
        )
        for j in range(9)
    ]
    for area in areas:
        members = [r for r in reviewers if area in r.areas.all()]
        pool.panel_save(city, round=rnd, area=area, members=members, chair=members[0])
    staff = world.client("city_admin")
    for area in areas:
        drawn = staff.post(
            reverse("certification:draw", args=[rnd.code]), {"area": area.pk, "seed": "12"}
        )
        assert drawn.status_code == 302

    live = list(Assignment.objects.filter(application__round=rnd).select_related("reviewer"))
    assert Counter(a.application_id for a in live) == {a.pk: 3 for a in apps}
    conflicts = conflict_map(reviewers, Application.objects.filter(round=rnd))
    assert conflicts and not {(a.reviewer_id, a.application_id) for a in live} & set(conflicts)

    # Each reviewer answers and scores: the first five through the pages, the rest by API.
    index_of = {app.pk: i for i, app in enumerate(apps)}
    rank: dict[int, list[int]] = {}
    for a in sorted(live, key=lambda a: (a.application_id, a.reviewer_id)):
        rank.setdefault(a.application_id, []).append(a.reviewer_id)
    for j, rv in enumerate(reviewers):
        mine = [a for a in live if a.reviewer_id == rv.pk]
        if j < 5:
            page = world.client("reviewer")
            page.force_login(rv.user)
            for a in mine:
                accepted = page.post(reverse("certification:assignment_accept", args=[a.code]))
                assert accepted.status_code == 302
                points = _points(index_of[a.application_id], rank[a.application_id].index(rv.pk))
                for score_set in ScoreSet.values:
                    url = reverse("certification:sheet", args=[a.code, score_set])
                    assert page.post(url, _form(points)).status_code == 302
        else:
            api = ApiClient(api_token(rv.user)[1])
            for a in mine:
                accepted = api.post(f"/certification/review/assignments/{a.code}/accept")
                assert accepted.status_code == 200
                points = _points(index_of[a.application_id], rank[a.application_id].index(rv.pk))
                for score_set in ScoreSet.values:
                    path = f"/certification/scoring/assignments/{a.code}/sheets/{score_set}"
                    sent = api.post(path + "/submit", {"scores": _scores(points)})
                    assert sent.status_code == 200, sent.content

    assert Assignment.objects.filter(status=AssignmentStatus.ACCEPTED).count() == 90
    assert ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).count() == 180

    aggregated = staff.post(reverse("certification:aggregate", args=[rnd.code]), {"confirmed": "1"})
    assert aggregated.status_code == 302
    results = {r.application_id: r for r in ApplicationResult.objects.all()}
    assert set(results) == {a.pk for a in apps}
    for app in apps:
        totals = [
            float(t)
            for t in ScoreSheet.objects.filter(application=app, score_set="site").values_list(
                "total", flat=True
            )
        ]
        result = results[app.pk]
        assert len(totals) == 3 and result.site_sheets == result.defence_sheets == 3
        # The rules' default: the mean of each set, the two sets averaged.
        assert result.combined == Decimal(str(round(statistics.fmean(totals), 2)))
    flagged = {index_of[pk] for pk, r in results.items() if r.divergent}
    assert flagged == {7}

    # The city's list shows the flag; its filter finds that one application.
    listing = staff.get(reverse("certification:scores", args=[rnd.code]), {"divergent": "1"})
    assert listing.status_code == 200
    assert "全程集体07" in listing.content.decode()
    assert "全程集体08" not in listing.content.decode()
