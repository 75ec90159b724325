"""The issue's scenario, assignment half: 30 applications from several bodies, 9 reviewers in
3 areas, 3 reviewers each drawn automatically with no conflict violated and balanced loads,
then the invitations answered through the pages and a replacement drawn for a decline."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse

from qnwmh.certification.conflicts import conflict_map
from qnwmh.certification.models import Application, Assignment, AssignmentStatus, Reviewer
from qnwmh.certification.services import reviewers as pool
from qnwmh.collectives.models import Collective
from tests import factories as f
from tests import factories_certification as fcert


def test_thirty_applications_nine_reviewers_three_areas(world: Any) -> None:
    city = world.actor("city_admin")
    towns = [f.town(f"场景镇{i}") for i in range(6)]
    bodies = [f.body(t) for t in towns]
    rnd = fcert.cert_round()
    apps = []
    for i in range(30):
        c = f.collective(bodies[i % 6], name=f"场景集体{i}", members=1)
        Collective.objects.filter(pk=c.pk).update(work_unit=f"场景单位{i % 10}号")
        apps.append(fcert.application(rnd, c, status="recommended"))
    areas = [
        pool.area_create(city, name=f"场景片区{k}", towns=towns[2 * k : 2 * k + 2])
        for k in range(3)
    ]
    # Applications submitted before the areas existed are placed by their town.
    assert Counter(Application.objects.filter(round=rnd).values_list("area", flat=True)) == {
        a.pk: 10 for a in areas
    }
    reviewers = [
        fcert.reviewer(
            areas=[areas[j % 3], areas[(j + 1) % 3]],
            body=bodies[j] if j < 4 else None,  # tied to four of the six bodies
            employer="场景单位3号" if j == 5 else f"评委单位{j}",
        )
        for j in range(9)
    ]
    for area in areas:
        members = [r for r in reviewers if area in r.areas.all()]
        pool.panel_save(city, round=rnd, area=area, members=members, chair=members[0])

    client = world.client("city_admin")
    for area in areas:
        response = client.post(
            reverse("certification:draw", args=[rnd.code]), {"area": area.pk, "seed": "2026"}
        )
        assert response.status_code == 302
    live = list(Assignment.objects.filter(application__round=rnd))
    assert len(live) == 90
    assert Counter(a.application_id for a in live) == {a.pk: 3 for a in apps}
    conflicts = conflict_map(reviewers, Application.objects.filter(round=rnd))
    assert conflicts  # the relations are real...
    assert not {(a.reviewer_id, a.application_id) for a in live} & set(conflicts)  # ...and held
    for area in areas:
        loads = Counter(a.reviewer_id for a in live if a.application.area_id == area.pk)
        members = [r.pk for r in reviewers if area in r.areas.all()]
        values = [loads.get(r, 0) for r in members]
        assert max(values) - min(values) <= 1

    # A reviewer declines through the workspace; a top-up draw replaces them with someone else.
    a = live[0]
    rv = Reviewer.objects.get(pk=a.reviewer_id)
    reviewer_client = world.client("reviewer")
    reviewer_client.force_login(rv.user)
    response = reviewer_client.post(
        reverse("certification:assignment_decline", args=[a.code]), {"reason": "出差"}
    )
    assert response.status_code == 302
    client.post(reverse("certification:draw", args=[rnd.code]), {"area": a.application.area_id})
    now = Assignment.objects.filter(
        application=a.application, status__in=[AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED]
    )
    assert now.count() == 3 and rv.pk not in now.values_list("reviewer_id", flat=True)
