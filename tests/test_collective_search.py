"""Collective list search: Chinese (caseless) queries run as plain LIKE, others as icontains,
with the same rows either way, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.collectives.models import Collective
from qnwmh.collectives.selectors import CollectiveFilters, collective_list, text_search_condition
from tests import factories as f


def _names(world: Any, q: str) -> set[str]:
    rows = collective_list(world.actor("city_admin"), CollectiveFilters(q=q))
    return {c.name for c in rows}


@pytest.fixture
def named(world: Any) -> Any:
    f.collective(world.body, name="古镇灯饰客服中心", members=0)
    team = f.collective(world.body, name="青年突击队", members=0)
    Collective.objects.filter(pk=team.pk).update(work_unit="中山市华艺灯饰有限公司")
    f.collective(world.body, name="Smart Grid 青年服务队", members=0)
    f.collective(world.body, name="电力抢修队", members=0)
    return world


def test_chinese_query_uses_plain_like() -> None:
    assert "name__contains" in str(text_search_condition("灯饰", "name"))
    assert "name__icontains" in str(text_search_condition("Grid", "name"))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("灯饰", {"古镇灯饰客服中心", "青年突击队"}),  # name or work unit
        ("客服中心", {"古镇灯饰客服中心"}),
        ("smart grid", {"Smart Grid 青年服务队"}),  # letter case still ignored
        ("GRID 青年", {"Smart Grid 青年服务队"}),
        ("抢修", {"电力抢修队"}),
        ("不存在", set()),
    ],
)
def test_search_finds_the_same_rows(named: Any, q: str, expected: set[str]) -> None:
    assert _names(named, q) == expected


def test_search_through_the_page(named: Any) -> None:
    response = named.client("city_admin").get("/office/collectives/", {"q": "灯饰"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "古镇灯饰客服中心" in body
    assert "电力抢修队" not in body
