"""Creation's lists at scale: every page that reads the kept memberships and month counts
costs the same number of queries however many collectives are creating, in however many
bodies, and the city's per-body summary agrees with each collective's own compliance."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from qnwmh.creation.models import CreationMonth
from qnwmh.creation.selectors import body_summaries, compliance_for, creating_collectives
from qnwmh.creation.stamps import touch
from tests import creation_helpers as ch
from tests import factories as f
from tests.api.helpers import ApiClient, api_token
from tests.querycount import assert_constant_queries, count_queries

TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
_seq = itertools.count(1)


@pytest.fixture
def cy(world: Any) -> Any:
    cycle = ch.cycle()
    ch.register(world.collective, cycle)
    return cycle


def grower(world: Any, cy: Any) -> Any:
    """Each call adds creating collectives in both bodies and a new body: titled, registered,
    both; some meet last month's open weeks (month counts written as the services would)."""

    def grow() -> None:
        n = next(_seq)
        bodies = [world.body, world.other_body, f.body(f.town(f"新镇{n}"), name=f"新团委{n}")]
        for i, body in enumerate(bodies):
            c = f.collective(body, members=0, name=f"规模集体{n}-{i}")
            if i != 1:
                f.title(c)
            if i != 0:
                ch.register(c, cy)
            if i == 2:
                CreationMonth.objects.create(collective=c, cycle=cy, month=LAST_MONTH, weeks=2)
                touch([cy.pk], [body.pk])  # as tallies.retally does with the month counts

    return grow


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("body_admin", "creation:index"),
        ("city_admin", "creation:index"),
        ("body_admin", "creation:compliance"),
        ("city_admin", "creation:compliance"),
    ],
)
def test_creation_pages_queries_do_not_grow(world: Any, cy: Any, role: str, name: str):
    client = world.client(role)
    url = reverse(name)
    assert_constant_queries(lambda: uncached(client.get, url), grower(world, cy))


def test_body_compliance_seen_by_the_city_queries_do_not_grow(world: Any, cy: Any):
    client = world.client("city_admin")
    url = reverse("creation:body_compliance", args=[world.body.code])
    assert_constant_queries(lambda: uncached(client.get, url), grower(world, cy))


def uncached(get: Any, url: str) -> Any:
    """The city summary keeps body rows in the cache: measure the recounting request."""
    cache.clear()
    return get(url)


def test_city_summary_recounts_only_the_bodies_written_since(world: Any, cy: Any):
    grow = grower(world, cy)
    grow()
    client = world.client("city_admin")
    url = reverse("creation:compliance")
    first = count_queries(lambda: uncached(client.get, url))
    assert count_queries(lambda: client.get(url)) < first  # no grouped count: all kept
    c = f.collective(world.other_body, members=0, name="新报备集体")
    ch.register(c, cy)  # touches the other body's stamp
    city = world.actor("city_admin")
    by_body = {s.body.pk: s for s in body_summaries(city, cy)}
    assert by_body[world.other_body.pk].registered == 2
    cache.clear()
    assert {s.body.pk: s for s in body_summaries(city, cy)} == by_body


def test_api_compliance_queries_do_not_grow(world: Any, cy: Any):
    api = ApiClient(api_token(world.users["city_admin"])[1])
    assert_constant_queries(lambda: api.get("/creation/compliance", limit=50), grower(world, cy))


def test_city_summary_agrees_with_each_collectives_compliance(world: Any, cy: Any):
    grow = grower(world, cy)
    grow()
    grow()
    city = world.actor("city_admin")
    rows = compliance_for(list(creating_collectives(city, cy)), cy)
    summaries = {s.body.pk: s for s in body_summaries(city, cy)}
    assert sum(s.total for s in summaries.values()) == len(rows) == 2 * 3 + 1
    for body_id, s in summaries.items():
        mine = [r for r in rows if r.collective.body_id == body_id]
        assert s.total == len(mine)
        assert s.titled == sum(r.titled for r in mine)
        assert s.registered == sum(r.registered for r in mine)
        assert s.required_ok == sum(r.registered and r.required_ok for r in mine)
        if cy.registration_opens_on <= LAST_MONTH:
            missing = [
                r
                for r in mine
                if r.titled
                and any(m.month == LAST_MONTH and m.status == "missing" for m in r.months)
            ]
            assert s.titled_missing_last_month == len(missing)
