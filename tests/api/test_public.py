"""The public directory: no token, only collectives holding an active title, no member data."""

from __future__ import annotations

import json
from typing import Any

from qnwmh.collectives.models import TitleStatus
from qnwmh.collectives.services import collective_archive, title_revoke
from tests import factories as f
from tests.api.helpers import ApiClient

PLANTED_NAMES = ["欧阳震华隐私", "司马晓晴隐私", "诸葛明朗隐私"]
PLANTED_PHONES = ["13599887766", "13600112233", "13755554444"]


def _crawl(client: ApiClient, queries: list[dict[str, Any]]) -> list[str]:
    """Every public list page for each query, and every collective page they link to."""
    bodies: list[str] = []
    codes: set[str] = set()
    for params in queries:
        page = 1
        while True:
            response = client.get("/public/collectives", page=page, page_size=2, **params)
            assert response.status_code == 200
            data = response.json()
            bodies.append(json.dumps(data, ensure_ascii=False))
            codes |= {c["code"] for c in data["results"]}
            if page * 2 >= data["count"]:
                break
            page += 1
    for code in sorted(codes):
        response = client.get(f"/public/collectives/{code}")
        assert response.status_code == 200
        bodies.append(json.dumps(response.json(), ensure_ascii=False))
    return bodies


def test_no_member_personal_data_in_any_public_response(world: Any) -> None:
    c = world.collective
    c.pledges = "亮身份、亮承诺"
    c.supervision_phone = "0760-88881234"
    c.save()
    for name, phone in zip(PLANTED_NAMES, PLANTED_PHONES, strict=True):
        f.member(c, name=name, phone=phone)
    other = f.collective(world.body, name="石岐街道青年文明号示范岗", members=3)
    f.member(other, name=PLANTED_NAMES[0] + "二", phone=PLANTED_PHONES[0][:-1] + "0")
    f.title(other, level="provincial", stars=2)
    client = ApiClient()
    queries: list[dict[str, Any]] = [
        {},
        {"q": "石岐"},
        {"q": "欧阳"},
        {"q": PLANTED_NAMES[0]},
        {"level": "provincial"},
        {"stars": 1},
        {"town": world.town.pk},
    ]
    bodies = _crawl(client, queries)
    text = "\n".join(bodies)
    # The crawl did reach the collectives (and their public contact details)...
    assert (
        c.code in text
        and other.code in text
        and "亮身份、亮承诺" in text
        and "0760-88881234" in text
    )
    # ...and none of their members.
    for planted in [*PLANTED_NAMES, *PLANTED_PHONES, PLANTED_PHONES[0][:-1] + "0"]:
        assert planted not in text
    for m in c.members.all():
        assert m.name not in text and m.phone[-4:] + '"' not in text
    # The schema itself offers no member field on public shapes.
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    for shape in ("PublicCollective", "PublicCollectiveDetail", "PublicTitle"):
        assert not {"members", "phone", "birth_date", "leader"} & set(schema[shape]["properties"])


def test_only_collectives_holding_an_active_title(world: Any) -> None:
    untitled = f.collective(world.body, name="石岐街道无称号集体", members=2)
    revoked = f.collective(world.body, name="石岐街道已撤销集体", members=2)
    title = f.title(revoked)
    title_revoke(world.actor("city_admin"), title=title, reason="整改不合格")
    archived = f.collective(world.body, name="石岐街道已归档集体", members=2)
    f.title(archived)
    collective_archive(world.actor("city_admin"), collective=archived, reason="机构撤并")
    client = ApiClient()
    listed = {c["code"] for c in client.get("/public/collectives", page_size=100).json()["results"]}
    assert listed == {world.collective.code}
    for c in (untitled, revoked, archived, world.other_collective):
        assert client.get(f"/public/collectives/{c.code}").status_code == 404


def test_detail_shows_the_whole_title_history(world: Any) -> None:
    old = f.title(world.collective, level="provincial")
    title_revoke(world.actor("city_admin"), title=old, reason="复核不合格")
    data = ApiClient().get(f"/public/collectives/{world.collective.code}").json()
    assert data["level"] == "city"  # the best *active* title
    assert {(t["level"], t["status"]) for t in data["titles"]} == {
        ("city", TitleStatus.ACTIVE),
        ("provincial", TitleStatus.REVOKED),
    }
    revoked = next(t for t in data["titles"] if t["status"] == "revoked")
    assert revoked["ended_on"] is not None


def test_two_character_search_and_filters(world: Any) -> None:
    nurse = world.other_collective
    f.title(nurse, level="provincial", stars=3)
    client = ApiClient()

    def codes(**params: Any) -> set[str]:
        return {c["code"] for c in client.get("/public/collectives", **params).json()["results"]}

    assert codes(q="护理") == {nurse.code}
    assert codes(q="窗口") == {world.collective.code}
    assert codes(q="青年") == {nurse.code, world.collective.code}
    assert codes(level="provincial") == {nurse.code}
    assert codes(stars=3) == {nurse.code}
    assert codes(town=world.town.pk) == {world.collective.code}
    assert codes(q="不存在的名字") == set()


def test_public_endpoints_ignore_a_bad_token(world: Any) -> None:
    response = ApiClient("garbage").get("/public/collectives")
    assert response.status_code == 200


def test_api_and_public_site_list_and_refuse_the_same_collectives(world: Any) -> None:
    """One rule (``public.selectors.listed``) for the web directory, the API directory and the
    API's 404: a titled collective is in all three, an untitled one and an archived (titled)
    one in none."""
    from django.test import Client
    from django.urls import reverse

    from qnwmh.public.selectors import listed

    untitled = f.collective(world.body, name="石岐街道无称号集体", members=2)
    archived = f.collective(world.body, name="石岐街道已归档集体", members=2)
    f.title(archived)
    collective_archive(world.actor("city_admin"), collective=archived, reason="机构撤并")
    api = ApiClient()
    api_listed = {
        c["code"] for c in api.get("/public/collectives", page_size=100).json()["results"]
    }
    web = Client().get(reverse("public:index")).content.decode()
    ruled = set(listed().values_list("code", flat=True))
    for c, expected in ((world.collective, True), (untitled, False), (archived, False)):
        status = api.get(f"/public/collectives/{c.code}").status_code
        assert (c.code in ruled) is expected, c.name
        assert (c.code in api_listed) is expected, c.name
        assert (c.code in web) is expected, c.name
        assert status == (200 if expected else 404), c.name
