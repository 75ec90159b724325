"""Certification pages: the collective applies on its phone-sized page, the body recommends
and ranks, the city filters and exports; query counts stay flat; tampered picks 404."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from qnwmh.certification.models import Application, ApplicationStatus, RoundStatus
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.cycles.models import RegistrationStatus
from qnwmh.programme.models import Dimension
from tests import factories as f
from tests import factories_certification as fcert
from tests import factories_cycles as fc
from tests.querycount import assert_constant_queries
from tests.test_certification_applications import entry, pass_test

pytestmark = pytest.mark.django_db


def _round(world: Any, *, filed: bool = True) -> Any:
    r = fcert.cert_round(status=RoundStatus.APPLICATIONS)
    ensure_exam(system_actor(), r)
    if filed:
        fc.registration(r.cycle, world.collective, status=RegistrationStatus.FILED)
    return r


def _base(r: Any) -> str:
    return f"/office/certification/rounds/{r.code}/"


def test_the_collective_applies_edits_and_submits_through_the_pages(world: Any) -> None:
    r = _round(world)
    fcert.area([world.town], name="北片")
    own = entry(world.collective, r.cycle)
    client = world.client("manager")
    page = client.get(_base(r))
    assert "提交申报" in page.content.decode()
    resp = client.post(_base(r) + "applications/new/", {"collective": world.collective.pk})
    app = Application.objects.get(collective=world.collective)
    assert resp.status_code == 302 and resp["Location"].endswith(f"{app.code}/edit/")
    edit = client.get(resp["Location"])
    assert own.title in edit.content.decode()
    data = {"statement": "我们的事迹", "entries_systems": [own.code]}
    data.update({f"text_{d}": f"{d}的自评" for d in Dimension.values})
    assert client.post(resp["Location"], data).status_code == 302
    assert app.assessments.get(dimension="systems").entries.get() == own
    # A tampered pick is not found and changes nothing.
    tampered = {**data, "entries_systems": ["zzzzzz"]}
    assert client.post(resp["Location"], tampered).status_code == 404
    submit = _base(r) + f"applications/{app.code}/submit/"
    assert "提交后不能再修改" in client.post(submit).content.decode()  # asks first
    assert client.post(submit, {"confirmed": "1"}).status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.area.name == "北片"
    detail = client.get(_base(r) + f"applications/{app.code}/").content.decode()
    assert "提交申报" in detail and "新建申报" in detail  # the history's labels
    assert 'data-testid="appraisal"' in detail
    # Locked: the edit page sends back with a message.
    assert client.get(resp["Location"]).status_code == 302


def test_the_body_is_told_why_it_cannot_recommend_then_recommends(world: Any) -> None:
    r = _round(world, filed=False)
    app = fcert.application(r, world.collective, status=ApplicationStatus.SUBMITTED)
    client = world.client("body_admin")
    url = _base(r) + f"applications/{app.code}/"
    page = client.get(url).content.decode()
    assert "尚未通过知识测试" in page
    resp = client.post(url + "recommend/", {"recommendation": "推荐", "rank": "1"}, follow=True)
    assert "尚未通过知识测试，不能推荐" in resp.content.decode()
    pass_test(r, world.collective)
    client.post(url + "recommend/", {"recommendation": "服务好", "rank": "1"})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RECOMMENDED and app.body_rank == 1
    listing = client.get(_base(r) + "applications/").content.decode()
    assert 'data-testid="ranking"' in listing and world.collective.name in listing


def test_city_filters_by_town_area_and_status_and_exports(world: Any) -> None:
    r = _round(world, filed=False)
    north = fcert.area([world.town], name="北片")
    fcert.application(r, world.collective, status=ApplicationStatus.RECOMMENDED, area_=north)
    fcert.application(r, world.other_collective, status=ApplicationStatus.SUBMITTED)
    client = world.client("city_admin")
    page = client.get(_base(r) + f"applications/?area={north.pk}").content.decode()
    assert world.collective.name in page and world.other_collective.name not in page
    page = client.get(_base(r) + f"applications/?town={world.other_town.pk}").content.decode()
    assert world.other_collective.name in page and world.collective.name not in page
    page = client.get(_base(r) + "applications/?status=submitted&area=x").content.decode()
    assert world.other_collective.name in page and world.collective.name not in page
    resp = client.get(_base(r) + "applications/export/?status=recommended")
    rows = list(
        load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][0] == "申报编号" and len(rows) == 2 and rows[1][1] == world.collective.name
    # The body's export is its own subtree's only.
    resp = world.client("outsider").get(_base(r) + "applications/export/")
    rows = list(
        load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert [row[1] for row in rows[1:]] == [world.other_collective.name]


def test_the_list_costs_the_same_queries_however_long(world: Any) -> None:
    r = _round(world)
    client = world.client("city_admin")

    def grow() -> None:
        for _ in range(3):
            fcert.application(r, f.collective(world.body, members=1))

    assert_constant_queries(lambda: client.get(_base(r) + "applications/"), grow)


def test_round_page_moves_and_edits_windows(world: Any) -> None:
    r = _round(world)
    client = world.client("city_admin")
    page = client.get(_base(r)).content.decode()
    assert 'data-testid="round-counts"' in page
    values = {
        name: getattr(r, name).isoformat()
        for name in (
            "applications_open_on",
            "applications_close_on",
            "test_opens_on",
            "test_closes_on",
            "site_from",
            "site_to",
            "defence_from",
            "defence_to",
            "scoring_closes_on",
        )
    }
    bad = {**values, "scoring_closes_on": r.site_from.isoformat()}
    r.site_to = r.site_from
    resp = client.post(_base(r) + "edit/", bad)
    assert "评分截止日期不能早于" in resp.content.decode()
    resp = client.post(_base(r) + "move/", {"to": "review"}, follow=True)
    r.refresh_from_db()
    assert r.status == RoundStatus.REVIEW
    assert "测试与评审" in resp.content.decode()


def test_home_asks_the_manager_to_apply_and_the_body_to_recommend(world: Any) -> None:
    r = _round(world)
    home = world.client("manager").get("/office/").content.decode()
    assert "提交评选认定申报" in home
    second = f.collective(world.body, members=8)
    fcert.application(r, second, status=ApplicationStatus.SUBMITTED)
    home = world.client("body_admin").get("/office/").content.decode()
    assert "待推荐的评选认定申报" in home
    assert "待推荐的评选认定申报" not in world.client("city_admin").get("/office/").content.decode()
