"""Clerk friction: filter bars only offer what can narrow the actor's scope; names sort by
pinyin; the user form's organisation choice is searchable."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def _page(world: Any, role: str, url: str) -> str:
    response = world.client(role).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_manager_of_one_collective_gets_no_filter_bar(world: Any) -> None:
    for i in range(3):
        f.town(f"多余镇区{i}")
    html = _page(world, "manager", "/office/collectives/")
    assert world.collective.name in html
    assert 'name="town"' not in html and 'name="body"' not in html
    assert 'class="filters"' not in html


def test_a_body_admin_gets_no_organisation_filter_with_one_option(world: Any) -> None:
    f.collective(world.body)
    f.collective(world.body, ownership="non_public")
    html = _page(world, "body_admin", "/office/collectives/")
    assert 'class="filters"' in html
    assert 'name="body"' not in html  # one body: nothing to choose
    assert 'name="town"' not in html  # all its collectives sit in one town
    assert 'name="ownership"' in html  # two ownerships: this one narrows


def test_the_city_admin_filters_by_the_bodies_and_towns_that_hold_collectives(world: Any) -> None:
    empty_town = f.town("没有集体的镇")
    html = _page(world, "city_admin", "/office/collectives/")
    assert 'name="body"' in html and 'name="town"' in html
    assert world.body.name in html and world.other_body.name in html
    assert empty_town.name not in html


def test_registration_and_complaint_lists_drop_one_option_filters(world: Any) -> None:
    cycle = fc.cycle()
    body_html = _page(world, "body_admin", f"/office/cycles/{cycle.code}/registrations/")
    assert 'name="body"' not in body_html
    city_html = _page(world, "city_admin", f"/office/cycles/{cycle.code}/registrations/")
    assert 'name="body"' in city_html
    body_complaints = _page(world, "body_admin", "/office/supervision/")
    assert 'name="town"' not in body_complaints and 'name="body"' not in body_complaints
    assert 'name="town"' in _page(world, "city_admin", "/office/supervision/")


def test_collectives_sort_by_pinyin_not_code_point(world: Any) -> None:
    from qnwmh.collectives import services
    from qnwmh.collectives.models import Collective

    names = ["张家边社区服务站", "阿婆窗口青年突击队", "李屋村便民服务中心"]
    for name in names:
        f.collective(world.body, name=name)
    html = _page(world, "body_admin", "/office/collectives/")
    at = [html.index(n) for n in ["阿婆窗口青年突击队", "李屋村便民服务中心", "张家边社区服务站"]]
    assert at == sorted(at)  # a, l, z (code point order would be 张, 李, 阿)
    # A rename re-sorts the collective.
    c = Collective.objects.get(name="阿婆窗口青年突击队")
    services.collective_update(world.actor("body_admin"), collective=c, values={"name": "周边窗口"})
    assert Collective.objects.get(pk=c.pk).sort_key == "zhou bian chuang kou"
    assert (
        list(Collective.objects.filter(body=world.body).values_list("name", flat=True))[-1]
        == "周边窗口"
    )


def test_small_lists_sort_by_pinyin_in_python() -> None:
    from qnwmh.core.collation import pinyin_sorted

    assert pinyin_sorted(["张三", "李四", "阿明", "王五"], key=str) == [
        "阿明",
        "李四",
        "王五",
        "张三",
    ]


def test_the_user_form_offers_a_searchable_collective_choice(world: Any) -> None:
    f.collective(world.body, name="张家边社区服务站")
    html = _page(world, "city_admin", "/accounts/users/new/")
    assert html.count("data-searchable") == 2  # organisation and collective
    assert 'data-search="张家边社区服务站|zhangjiabianshequfuwuzhan|zjbsqfwz"' in html


def test_the_searchable_choice_is_still_scoped_on_the_server(world: Any) -> None:
    response = world.client("body_admin").post(
        "/accounts/users/new/",
        {
            "username": "newmanager",
            "password": "Kx7-harbour-lantern-92",
            "role": "collective_manager",
            "collective": world.other_collective.pk,  # another body's: not offered, refused
        },
    )
    assert response.status_code == 404
