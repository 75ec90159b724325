"""Collectives, members and titles through the API: same scope, services and rules as pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import Collective, Member, Ownership, TitleStatus
from qnwmh.collectives.selectors import CollectiveFilters, collective_list
from tests import factories as f
from tests import factories_cycles as fc


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()["results"]]


@pytest.fixture
def more(world: Any) -> dict[str, Collective]:
    """A few collectives under the body with distinct towns, sectors, ownerships, titles,
    statuses."""
    sector = world.sector
    return {
        "np": f.collective(
            world.body,
            name="石岐街道某科技公司青年研发团队",
            members=3,
            ownership=Ownership.NON_PUBLIC,
            sector=sector,
        ),
        "prov": f.collective(world.body, name="石岐街道税务青年先锋岗", members=2),
        "plain": f.collective(world.body, name="岐江公园管理处青年班组", members=0),
        "archived": f.collective(
            world.body, name="石岐街道原青年服务队", members=0, status="archived"
        ),
    }


FILTERS: list[dict[str, Any]] = [
    {},
    {"q": "石岐"},
    {"q": "护理"},
    {"q": "科技"},
    {"ownership": "non_public"},
    {"level": "city"},
    {"level": "provincial"},
    {"level": "none"},
    {"eligibility": "met"},
    {"eligibility": "not_met"},
    {"status": "active"},
    {"status": "archived"},
    {"stars": "1"},
    {"stars": "0"},
    {"level": "city", "stars": "1"},
    {"active_on": "2000-01-01"},
    {"active_on": "2100-12-31", "ownership": "non_public"},
]


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "outsider", "manager"])
@pytest.mark.parametrize("params", FILTERS, ids=[str(p) for p in FILTERS])
def test_list_filters_match_the_back_office(
    world: Any, more: Any, api: Any, role: str, params: dict[str, Any]
) -> None:
    f.title(more["prov"], level="provincial")
    expected = [
        c.code for c in collective_list(world.actor(role), CollectiveFilters.from_query(params))
    ]
    assert _codes(api(role).get("/collectives", page_size=100, **params)) == expected


def test_list_filters_by_body_town_and_sector_address_the_scoped_objects(
    world: Any, more: Any, api: Any
) -> None:
    city = api("city_admin")
    assert set(_codes(city.get("/collectives", body=world.body.code, page_size=100))) == {
        world.collective.code,
        *[c.code for c in more.values()],
    }
    assert _codes(city.get("/collectives", town=world.other_town.pk)) == [
        world.other_collective.code
    ]
    assert _codes(city.get("/collectives", sector=world.sector.pk)) == [more["np"].code]
    # A body outside the outsider's scope matches nothing rather than leaking anything.
    assert _codes(api("outsider").get("/collectives", body=world.body.code)) == []


def test_page_size_is_capped(world: Any, api: Any) -> None:
    client = api("city_admin")
    too_big = client.get("/collectives", page_size=settings.API_MAX_PAGE_SIZE + 1)
    assert too_big.status_code == 422
    assert too_big.json()["field"] == "page_size"
    ok = client.get("/collectives", page_size=1, page=2)
    assert ok.status_code == 200
    body = ok.json()
    assert body["count"] == 2 and body["page"] == 2 and len(body["results"]) == 1
    assert client.get("/collectives", page=99).json()["results"] == []


def test_counts_stop_at_the_cap_and_say_so(world: Any, more: Any, api: Any, settings: Any):
    """As the back-office lists: exact up to LIST_COUNT_CAP, above it "more than the cap"."""
    client = api("city_admin")
    exact = client.get("/collectives", page_size=1).json()
    assert exact["count_capped"] is False and exact["count"] > 2
    settings.LIST_COUNT_CAP = 2
    capped = client.get("/collectives", page_size=1, page=3).json()
    assert (capped["count"], capped["count_capped"]) == (2, True)
    assert len(capped["results"]) == 1  # pages past the cap still answer
    registrations = client.get(f"/cycles/{fc.cycle().code}/registrations").json()
    assert (registrations["count"], registrations["count_capped"]) == (0, False)


def test_another_bodys_collective_is_404(world: Any, api: Any) -> None:
    code = world.other_collective.code
    for path in (
        f"/collectives/{code}",
        f"/collectives/{code}/members",
        f"/collectives/{code}/titles",
    ):
        assert api("body_admin").get(path).status_code == 404
    response = api("body_admin").patch(f"/collectives/{code}", {"name": "改名"})
    assert response.status_code == 404
    assert Collective.objects.get(code=code).name != "改名"


def test_create_goes_through_the_service(world: Any, api: Any) -> None:
    response = api("body_admin").post(
        "/collectives",
        {
            "name": "石岐街道新建青年集体",
            "work_unit": "石岐街道办事处",
            "body": world.body.code,
            "town": world.town.pk,
            "sector": world.sector.pk,
            "ownership": "party_government",
            "supervision_email": "jd@example.cn",
            "pledges": "一次告知\n限时办结",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    c = Collective.objects.get(code=data["code"])
    assert (c.body, c.town, c.sector) == (world.body, world.town, world.sector)
    assert data["body"] == world.body.code and data["town_name"] == world.town.name
    assert AuditEntry.objects.filter(code="collectives.collective.created").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "石岐街道便民服务中心青年服务窗口", "work_unit": "x"}, "name"),  # duplicate
        ({"town": "OTHER"}, "town"),  # a territorial body's collectives stay in its town
        ({"supervision_email": "not-an-email"}, "supervision_email"),
    ],
)
def test_create_refusals_are_400_with_the_services_chinese_message(
    world: Any, api: Any, change: dict[str, Any], field: str
) -> None:
    payload = {
        "name": "新集体",
        "work_unit": "单位",
        "body": world.body.code,
        "town": world.town.pk,
        "ownership": "other",
        **change,
    }
    if payload["town"] == "OTHER":
        payload["town"] = world.other_town.pk
    before = Collective.objects.count()
    response = api("body_admin").post("/collectives", payload)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    assert Collective.objects.count() == before


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "a\x00b"},
        {"name": ""},
        {"town": 2**40},
        {"ownership": "martian"},
        {"status": "archived"},
        {"level": "national"},
        {"id": 5},
    ],
)
def test_malformed_input_is_422_never_500(world: Any, api: Any, bad: dict[str, Any]) -> None:
    payload = {
        "name": "新集体",
        "work_unit": "单位",
        "body": world.body.code,
        "town": world.town.pk,
        "ownership": "other",
        **bad,
    }
    response = api("city_admin").post("/collectives", payload)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "请求数据不符合要求，请检查后重试。"


def test_invalid_json_is_400(world: Any, api: Any) -> None:
    client = api("city_admin")
    response = client.client.post(
        "/api/v1/collectives", "{not json", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON。"


GOVERNED = [
    {"body": "OTHER_BODY"},
    {"town": "OTHER_TOWN"},
    {"sector": "SECTOR"},
    {"sector": None},
    {"ownership": "non_public"},
]


@pytest.mark.parametrize(
    "change", GOVERNED, ids=[next(iter(c)) + str(i) for i, c in enumerate(GOVERNED)]
)
def test_manager_cannot_set_governed_fields(world: Any, api: Any, change: dict[str, Any]) -> None:
    value = next(iter(change.values()))
    value = (
        {
            "OTHER_BODY": world.other_body.code,
            "OTHER_TOWN": world.other_town.pk,
            "SECTOR": world.sector.pk,
        }.get(value, value)
        if isinstance(value, str | int)
        else value
    )
    key = next(iter(change))
    c = world.collective
    before = (c.body_id, c.town_id, c.sector_id, c.ownership, c.status, c.name)
    response = api("manager").patch(f"/collectives/{c.code}", {key: value, "name": "改了名字"})
    assert response.status_code == 403, response.content
    c.refresh_from_db()
    assert (c.body_id, c.town_id, c.sector_id, c.ownership, c.status, c.name) == before


@pytest.mark.parametrize(
    "change",
    [
        {"status": "archived"},
        {"level": "national"},
        {"stars": 3},
        {"eligibility": "met"},
        {"member_count": 99},
    ],
)
def test_fields_that_are_no_ones_to_patch_are_refused_for_everyone(
    world: Any, api: Any, change: dict[str, Any]
) -> None:
    c = world.collective
    for role in ("manager", "city_admin"):
        response = api(role).patch(f"/collectives/{c.code}", change)
        assert response.status_code == 422, response.content
    c.refresh_from_db()
    assert c.status == "active" and c.titles.filter(status=TitleStatus.ACTIVE).count() == 1


def test_manager_edits_the_profile_and_staff_the_governed_fields(world: Any, api: Any) -> None:
    c = world.collective
    response = api("manager").patch(f"/collectives/{c.code}", {"pledges": "亮身份，亮承诺。"})
    assert response.status_code == 200
    assert response.json()["pledges"] == "亮身份，亮承诺。"
    response = api("body_admin").patch(
        f"/collectives/{c.code}", {"sector": world.sector.pk, "ownership": "state_enterprise"}
    )
    assert response.status_code == 200, response.content
    c.refresh_from_db()
    assert (c.sector, c.ownership) == (world.sector, "state_enterprise")
    response = api("body_admin").patch(f"/collectives/{c.code}", {"sector": None})
    c.refresh_from_db()
    assert response.status_code == 200 and c.sector is None
    assert AuditEntry.objects.filter(code="collectives.collective.updated").count() == 3


# Members --------------------------------------------------------------------------------


def test_phones_are_masked_unless_the_caller_may_see_personal_data(world: Any, api: Any) -> None:
    path = f"/collectives/{world.collective.code}/members"
    # City admins see the collective but not members' personal data (rule in collectives).
    masked = api("city_admin").get(path).json()["results"]
    assert masked and all(m["phone"] == "138****5678" for m in masked)
    for role in ("body_admin", "manager"):
        full = api(role).get(path).json()["results"]
        assert all(m["phone"] == "13812345678" for m in full)
    assert len(masked) == world.collective.members.current().count()


def test_member_add_update_remove(world: Any, api: Any) -> None:
    c = world.collective
    client = api("manager")
    response = client.post(
        f"/collectives/{c.code}/members",
        {"name": "黄小明", "birth_date": "1999-03-04", "phone": "13700001234", "post": "窗口受理"},
    )
    assert response.status_code == 201, response.content
    member_id = response.json()["id"]
    c.refresh_from_db()
    assert c.member_count == 9
    response = client.patch(f"/collectives/{c.code}/members/{member_id}", {"post": "综合岗"})
    assert response.status_code == 200 and response.json()["post"] == "综合岗"
    response = client.delete(f"/collectives/{c.code}/members/{member_id}")
    assert response.status_code == 200 and response.json()["left_on"] is not None
    member = Member.objects.get(pk=member_id)  # still there, as history
    assert member.left_on is not None
    c.refresh_from_db()
    assert c.member_count == 8
    # Gone from the roster: a second removal or edit finds nothing.
    assert client.delete(f"/collectives/{c.code}/members/{member_id}").status_code == 404
    assert (
        client.patch(f"/collectives/{c.code}/members/{member_id}", {"post": "x"}).status_code == 404
    )
    codes = [e.code for e in AuditEntry.objects.order_by("id")]
    assert codes[-3:] == [
        "collectives.member.added",
        "collectives.member.updated",
        "collectives.member.removed",
    ]


def test_member_of_another_collective_is_404_under_this_code(world: Any, api: Any) -> None:
    other = world.other_collective.members.first()
    path = f"/collectives/{world.collective.code}/members/{other.pk}"
    assert api("city_admin").patch(path, {"post": "x"}).status_code == 404
    other.refresh_from_db()
    assert other.post != "x"


def test_member_rule_violation_is_400_in_chinese(world: Any, api: Any) -> None:
    response = api("body_admin").post(
        f"/collectives/{world.collective.code}/members",
        {"name": "未来人", "birth_date": "2999-01-01"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "出生日期不能晚于今天。", "field": "birth_date"}


# Titles ---------------------------------------------------------------------------------


def test_city_admin_awards_and_revokes_titles(world: Any, api: Any) -> None:
    c = world.collective
    client = api("city_admin")
    response = client.post(
        f"/collectives/{c.code}/titles",
        {
            "level": "provincial",
            "stars": 2,
            "session_no": 22,
            "year": 2024,
            "awarded_on": "2024-12-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["collective"] == c.code
    again = client.post(
        f"/collectives/{c.code}/titles",
        {"level": "provincial", "session_no": 23, "year": 2026, "awarded_on": "2026-12-01"},
    )
    assert again.status_code == 400 and again.json()["detail"] == "该集体已持有有效的同级称号。"
    response = client.post(
        f"/collectives/{c.code}/titles/{world.title.code}/end", {"reason": "年度复核不合格"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "revoked" and response.json()["ended_on"]
    world.title.refresh_from_db()
    assert world.title.status == TitleStatus.REVOKED
    history = client.get(f"/collectives/{c.code}/titles").json()
    assert {t["status"] for t in history} == {"active", "revoked"}
    listed = client.get("/titles", status="revoked").json()["results"]
    assert [t["code"] for t in listed] == [world.title.code]


def test_body_admin_and_manager_cannot_touch_titles(world: Any, api: Any) -> None:
    c = world.collective
    for role in ("body_admin", "manager"):
        response = api(role).post(
            f"/collectives/{c.code}/titles/{world.title.code}/end", {"reason": "x"}
        )
        assert response.status_code == 403
    world.title.refresh_from_db()
    assert world.title.status == TitleStatus.ACTIVE


def test_title_list_is_scoped(world: Any, api: Any) -> None:
    f.title(world.other_collective)
    mine = {t["collective"] for t in api("body_admin").get("/titles").json()["results"]}
    assert mine == {world.collective.code}
    everyone = {t["collective"] for t in api("city_admin").get("/titles").json()["results"]}
    assert everyone == {world.collective.code, world.other_collective.code}
