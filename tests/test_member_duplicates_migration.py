"""Migration collectives 0005: duplicate current rows (from double submits before the
constraint) are taken off the roster, the first row stays and keeps the leader mark."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("collectives", "0004_list_order_index")]
AFTER = [("collectives", "0005_one_current_row_per_person")]


@pytest.fixture
def latest_schema_after() -> Any:
    """Migrating collectives back unapplies every app that depends on it; the next tests of
    the worker (and the seeds put back after this test) need the whole schema again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_duplicates_are_retired_before_the_constraint(world, latest_schema_after) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Member = apps.get_model("collectives", "Member")
    Member.objects.filter(collective_id=world.collective.pk).update(is_leader=False)
    born = datetime.date(1995, 1, 2)
    first = Member.objects.create(
        collective_id=world.collective.pk, name="重复者", birth_date=born, phone=""
    )
    copy = Member.objects.create(
        collective_id=world.collective.pk, name="重复者", birth_date=born, phone="", is_leader=True
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Member = apps.get_model("collectives", "Member")
    Collective = apps.get_model("collectives", "Collective")
    first, copy = Member.objects.get(pk=first.pk), Member.objects.get(pk=copy.pk)
    assert first.left_on is None and first.is_leader
    assert copy.left_on is not None and not copy.is_leader
    current = Member.objects.filter(collective_id=world.collective.pk, left_on__isnull=True)
    assert Collective.objects.get(pk=world.collective.pk).member_count == current.count()
