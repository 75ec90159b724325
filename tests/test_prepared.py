"""Prepared queries (``core.prepared``): the rows and counts of the queryset they stand for,
compiled once per shape of arguments, and a build that reads more than its arguments caught."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from qnwmh.collectives.models import Collective, Member
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.pagination import paginate
from qnwmh.core.prepared import prepared
from tests import factories as f


def _members(collective_ids: tuple[int, ...], leader: bool | None = None):
    qs = Member.objects.filter(collective_id__in=collective_ids).select_related("collective")
    if leader is not None:
        qs = qs.filter(is_leader=leader)
    return qs.order_by("name", "id")


members = prepared(_members)


def test_rows_and_counts_are_the_querysets(world):
    ids = (world.collective.pk, world.other_collective.pk)
    for leader, (start, stop) in itertools.product((None, True, False), ((0, 5), (3, 9), (0, 99))):
        expected = list(_members(ids, leader)[start:stop])
        got = members.rows(ids, leader, start=start, stop=stop)
        assert [m.pk for m in got] == [m.pk for m in expected]
        assert [m.collective.name for m in got] == [m.collective.name for m in expected]
    assert members.count_up_to(10_000, ids, None) == _members(ids).count() == 16
    assert members.count_up_to(3, ids, None) == 4  # at most cap + 1, as count_up_to


def test_values_and_a_prefetch_come_back_as_from_the_queryset(world):
    names = prepared(lambda pk: Collective.objects.filter(pk=pk).values_list("name", flat=True))
    assert names.rows(world.collective.pk) == [world.collective.name]
    titled = prepared(
        lambda pk: Collective.objects.filter(pk=pk).prefetch_related("titles").order_by("id")
    )
    (c,) = titled.rows(world.collective.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert [t.pk for t in c.titles.all()] == [world.title.pk]
    assert len(ctx) == 0  # prefetched with the rows


def test_a_shape_is_compiled_once_and_other_arguments_reuse_it(world, settings):
    settings.PREPARED_CHECK = False
    built = []

    def build(ids, leader):
        built.append(ids)
        return _members(ids, leader)

    query = prepared(build)
    one, other = (world.collective.pk,), (world.other_collective.pk,)
    assert {m.collective_id for m in query.rows(one, None)} == {world.collective.pk}
    assert {m.collective_id for m in query.rows(other, None)} == {world.other_collective.pk}
    assert len(built) == 1  # the second call only ran the kept SQL
    query.rows(one, True)  # a flag is part of the shape
    query.rows((*one, *other), None)  # so is the length of a tuple
    assert len(built) == 3


def test_an_empty_tuple_reads_nothing(world):
    with CaptureQueriesContext(connection) as ctx:
        assert members.rows((), None) == []
        assert members.count_up_to(100, (), None) == 0
    assert len(ctx) == 0


def test_actors_of_one_scope_share_a_compilation_and_keep_their_own_rows(world, settings):
    settings.PREPARED_CHECK = False
    built = []

    def build(actor):
        built.append(actor)
        return collectives_visible_to(actor).order_by("id")

    visible = prepared(build)
    admin, second_admin = (
        world.actor("body_admin"),
        f.actor(f.user("bodyadmin2", "body_admin", organisation=world.body)),
    )
    outsider = world.actor("outsider")
    assert {c.pk for c in visible.rows(admin)} == {world.collective.pk}
    assert {c.pk for c in visible.rows(second_admin)} == {world.collective.pk}
    assert len(built) == 1
    assert {c.pk for c in visible.rows(outsider)} == {world.other_collective.pk}
    assert len(built) == 2


def test_a_build_reading_more_than_its_arguments_fails_under_tests(world):
    clock = itertools.count()

    def build(pk):  # as a build reading the time would
        return Collective.objects.filter(pk=pk).exclude(name=f"at {next(clock)}")

    drifting = prepared(build)
    with pytest.raises(AssertionError, match="depends on more than its arguments"):
        drifting.rows(world.collective.pk)


def test_an_argument_a_lookup_rewrites_is_refused(world):
    search = prepared(lambda text: Collective.objects.filter(name__icontains=text))
    with pytest.raises(ImproperlyConfigured, match="rewrote an argument"):
        search.rows("窗口")


def test_paginate_reads_a_prepared_list_as_it_reads_the_queryset(world):
    ids = (world.collective.pk, world.other_collective.pk)
    for number in ("1", "2", "4"):
        request = RequestFactory().get("/", {"page": number})
        expected = paginate(request, _members(ids), per_page=5)
        got = paginate(request, members.bind(ids, None), per_page=5)
        assert [m.pk for m in got] == [m.pk for m in expected]
        assert (got.number, got.paginator.count, got.has_next()) == (
            expected.number,
            expected.paginator.count,
            expected.has_next(),
        )
