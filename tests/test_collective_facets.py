"""The filter bar's options are kept per scope (``collectives.facets``): read once, and moved
on by every write that changes which bodies, towns, sectors, ownerships, eligibility states
or statuses occur."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qnwmh.collectives import services
from qnwmh.collectives.models import Collective, Eligibility
from qnwmh.collectives.selectors import LIST_FACETS, filter_choices
from tests import factories as f


def _towns(world, role="city_admin"):
    return {pk for pk, _ in filter_choices(world.actor(role), LIST_FACETS)["towns"]}


def test_a_second_reading_asks_the_database_nothing(world):
    actor = world.actor("city_admin")
    with CaptureQueriesContext(connection) as first:
        there = filter_choices(actor, LIST_FACETS)
    with CaptureQueriesContext(connection) as second:
        again = filter_choices(actor, LIST_FACETS)
    assert len(first) >= 4  # the probes, bodies, towns, sectors
    assert len(second) == 0  # the test cache is in memory
    assert again == there
    assert {pk for pk, _ in there["bodies"]} == {world.body.pk, world.other_body.pk}


def test_a_new_collective_in_a_new_town_is_offered_at_once(world):
    assert _towns(world) == {world.town.pk, world.other_town.pk}
    third = f.town("三乡镇")
    c = f.collective(world.body, members=3)
    c.town = third
    c.save()
    assert _towns(world) == {world.town.pk, world.other_town.pk, third.pk}


def test_moving_the_last_collective_out_of_a_town_withdraws_it(world):
    assert world.other_town.pk in _towns(world)
    for c in Collective.objects.filter(town=world.other_town):
        c.town = world.town
        c.save(update_fields=["town"])  # a move between towns keeps the kept counts
    assert world.other_town.pk not in _towns(world)


def _eligibilities(actor):
    return {v for v, _label in filter_choices(actor, LIST_FACETS)["eligibilities"]}


def test_a_bulk_eligibility_refresh_moves_the_options(world):
    actor = world.actor("city_admin")
    small = f.collective(world.body, members=1)  # too small: not met
    assert _eligibilities(actor) == {Eligibility.MET, Eligibility.NOT_MET}
    for _ in range(7):
        f.member(small)  # the roster grows; its stored eligibility does not
    services.eligibility_refresh_all()  # the bulk path: an UPDATE per batch, no signals
    assert _eligibilities(actor) == set()  # every collective met: nothing left to narrow


def test_each_scope_keeps_its_own(world):
    city = filter_choices(world.actor("city_admin"), LIST_FACETS)
    assert len(city["bodies"]) == 2
    body = filter_choices(world.actor("body_admin"), LIST_FACETS)
    assert body["bodies"] == []  # one body: nothing to narrow
    assert _towns(world, "body_admin") <= {world.town.pk}
