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
