"""Certification applications through the API: the same services as the pages, the same
refusals (Chinese messages, 404 on a tampered pick)."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.certification.models import ApplicationStatus, RoundStatus
from qnwmh.certification.selectors.applications import (
    ApplicationFilters,
    application_list,
    application_rows,
)
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.core.pagination import count_up_to
from qnwmh.cycles.models import RegistrationStatus
from qnwmh.programme.models import Dimension
from tests import factories as f
from tests import factories_certification as fcert
from tests import factories_cycles as fc
from tests.api.helpers import client_for
from tests.test_certification_applications import entry, evidence, pass_test

pytestmark = pytest.mark.django_db


def test_the_whole_flow_through_the_api(world: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.APPLICATIONS)
    ensure_exam(system_actor(), r)
    fc.registration(r.cycle, world.collective, status=RegistrationStatus.FILED)
    north = fcert.area([world.town], name="北片")
    own, own_file = entry(world.collective, r.cycle), evidence(world.collective)
    manager, body = client_for(world, "manager"), client_for(world, "body_admin")
    base = f"/certification/rounds/{r.code}"

    got = manager.get(base).json()
    assert got["status"] == "applications" and got["exam_code"] == r.exam.code
    created = manager.post(base + "/applications", {"collective_code": world.collective.code})
    assert created.status_code == 201, created.content
    url = f"{base}/applications/{created.json()['code']}"

    tampered = manager.patch(url, {"assessments": {"systems": {"entries": ["ZZZZZZ"]}}})
    assert tampered.status_code == 404
    payload = {
        "statement": "事迹材料",
        "assessments": {d: {"text": f"{d} 自评"} for d in Dimension.values},
    }
    payload["assessments"]["systems"] = {
        "text": "制度",
        "entries": [own.code],
        "files": [own_file.code],
    }
    saved = manager.patch(url, payload).json()
    systems = next(a for a in saved["assessments"] if a["dimension"] == "systems")
    assert systems["entries"] == [own.code] and systems["files"] == [own_file.code]
    assert systems["complete"] is True  # the linked rule-adopted entry fills the ledger section

    submitted = manager.post(url + "/submit").json()
    assert submitted["status"] == "submitted" and submitted["area"] == "北片"
    assert submitted["appraisal"]["ratings"] == 0
    assert manager.patch(url, {"statement": "改"}).json()["detail"] == "申报已提交，不能再修改。"

    refused = body.post(url + "/recommend", {"recommendation": "推荐", "rank": 1})
    assert refused.status_code == 400 and "知识测试" in refused.json()["detail"]
    pass_test(r, world.collective)
    done = body.post(url + "/recommend", {"recommendation": "推荐", "rank": 1}).json()
    assert (done["status"], done["body_rank"], done["test"]["passed"]) == ("recommended", 1, True)

    listed = body.get(base + "/applications", status="recommended", area=north.pk).json()
    assert listed["count"] == 1 and listed["items"][0]["collective"] == world.collective.name
    assert body.get(base + "/applications", status="draft").json()["count"] == 0
    assert client_for(world, "outsider").get(url).status_code == 404

    returned = body.post(url + "/return", {"reason": "补充材料"}).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "补充材料"
    withdrawn = manager.post(url + "/withdraw", {"reason": "不再申报"}).json()
    assert withdrawn["status"] == "withdrawn"


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager", "outsider"])
def test_the_prepared_application_list_reads_what_its_queryset_reads(world: Any, role: str) -> None:
    r = fcert.cert_round()
    north = fcert.area([world.town], name="北片")
    fcert.application(r, world.collective, area_=north)
    fcert.application(r, world.other_collective, status=ApplicationStatus.RECOMMENDED)
    fcert.application(r, f.collective(world.body), status=ApplicationStatus.RECOMMENDED)
    combos = [
        ApplicationFilters(),
        ApplicationFilters(status=ApplicationStatus.RECOMMENDED),
        ApplicationFilters(body=world.body.pk, area=north.pk),
        ApplicationFilters(town=world.town.pk, progress="scored"),
        ApplicationFilters(q="集体"),
    ]
    actor = world.actor(role)
    for filters in combos:
        listed = application_list(actor, r, filters)
        rows = application_rows(actor, r, filters)
        assert [a.pk for a in rows[0:100]] == [a.pk for a in listed]
        assert [a.pk for a in rows[1:3]] == [a.pk for a in listed[1:3]]
        assert count_up_to(rows, 100) == listed.count()
