"""Migration collectives 0005: duplicate current rows (from double submits before the
constraint) are taken off the roster, the first row stays and keeps the leader mark.

The constraint is dropped and the migration's two operations run again, inside the test's
rolled-back transaction (PostgreSQL's DDL is transactional): migrating the schema back to 0004
would unapply every app that depends on collectives, and forward again, a minute and a half of
a worker for one data migration."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from qnwmh.collectives.models import Member

pytestmark = pytest.mark.postgres

MIGRATION = importlib.import_module("qnwmh.collectives.migrations.0005_one_current_row_per_person")
AFTER = [("collectives", "0005_one_current_row_per_person")]


def test_duplicates_are_retired_before_the_constraint(world) -> None:
    (constraint,) = [c for c in Member._meta.constraints if c.name == "one_current_row_per_person"]
    with connection.schema_editor() as editor:
        editor.remove_constraint(Member, constraint)
    Member.objects.filter(collective_id=world.collective.pk).update(is_leader=False)
    born = datetime.date(1995, 1, 2)
    first = Member.objects.create(collective=world.collective, name="重复者", birth_date=born)
    copy = Member.objects.create(
        collective=world.collective, name="重复者", birth_date=born, is_leader=True
    )
    # The rows were there long before the migration: check their keys now, as a commit would
    # (PostgreSQL builds no index on a table with foreign-key checks still pending).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The migration's own operations, with the models as they stood at 0005.
    apps = MigrationExecutor(connection).loader.project_state(AFTER).apps
    with connection.schema_editor() as editor:
        MIGRATION.retire_duplicates(apps, editor)
        editor.add_constraint(Member, constraint)
    first.refresh_from_db()
    copy.refresh_from_db()
    assert first.left_on is None and first.is_leader
    assert copy.left_on is not None and not copy.is_leader
    world.collective.refresh_from_db()
    current = Member.objects.filter(collective=world.collective, left_on__isnull=True)
    assert world.collective.member_count == current.count()
