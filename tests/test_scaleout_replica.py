"""The replica router against a real PostgreSQL streaming replica (DATABASE_REPLICA_URL; .ci/run
starts one with pg_basebackup -R). Marked reads are answered by the replica — a server in
recovery — and see what the primary committed; writes, unmarked reads and reads inside a
transaction stay on the primary."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.core.replica import REPLICA, read_alias, replica_reads
from qnwmh.orgs.models import Town
from tests import factories as f
from tests.scaleout_services import service

# Without DATABASE_REPLICA_URL there is no replica alias to allow (the tests then skip).
ALIASES = [DEFAULT_DB_ALIAS, *([REPLICA] if REPLICA in django_settings.DATABASES else [])]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=ALIASES)]


@pytest.fixture(autouse=True)
def _replica() -> None:
    service("DATABASE_REPLICA_URL", "a PostgreSQL streaming replica of the test database")


def caught_up() -> None:
    """Wait until the replica has replayed everything the primary committed (at once when the
    primary commits with remote_apply, as in CI; a moment on an asynchronous replica)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + 10
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the replica did not catch up in 10 s"
            time.sleep(0.02)


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return bool(cursor.fetchone()[0])


def selects(queries: CaptureQueriesContext) -> list[str]:
    """The reads captured (a server-side cursor's DECLARE … FOR SELECT counts)."""
    reads = ("SELECT", "DECLARE")
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(reads)
    ]


def test_the_replica_is_a_server_in_recovery_and_the_primary_is_not() -> None:
    assert in_recovery(REPLICA)
    assert not in_recovery(DEFAULT_DB_ALIAS)


def test_a_marked_read_is_answered_by_the_replica_with_the_primarys_rows() -> None:
    town = Town.objects.create(name="复制测试镇", kind="town")  # committed on the primary
    caught_up()
    with (
        CaptureQueriesContext(connections[REPLICA]) as there,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as here,
        replica_reads(),
    ):
        assert read_alias(Town) == REPLICA
        seen = Town.objects.get(pk=town.pk)
        assert in_recovery(Town.objects.db)  # the connection the read used is the replica
    assert seen.name == "复制测试镇"
    assert seen._state.db == REPLICA
    assert any("orgs_town" in sql for sql in selects(there))
    assert here.captured_queries == []


def test_unmarked_reads_stay_on_the_primary() -> None:
    town = Town.objects.create(name="主库镇", kind="town")
    with CaptureQueriesContext(connections[REPLICA]) as there:
        assert Town.objects.get(pk=town.pk)._state.db == DEFAULT_DB_ALIAS
    assert there.captured_queries == []


def test_writes_in_a_marked_block_go_to_the_primary_never_the_replica() -> None:
    with CaptureQueriesContext(connections[REPLICA]) as there, replica_reads():
        town = Town.objects.create(name="写入镇", kind="town")
        Town.objects.filter(pk=town.pk).update(name="改名镇")
    assert there.captured_queries == []
    assert Town.objects.using(DEFAULT_DB_ALIAS).get(pk=town.pk).name == "改名镇"
    # And the replica could not take one: it is read-only.
    with pytest.raises(Exception, match="read-only"), connections[REPLICA].cursor() as cursor:
        cursor.execute("INSERT INTO orgs_town (name, kind) VALUES ('x', 'town')")


def test_a_read_inside_a_transaction_that_wrote_stays_on_the_primary() -> None:
    with transaction.atomic(), replica_reads():
        town = Town.objects.create(name="未提交镇", kind="town")
        with CaptureQueriesContext(connections[REPLICA]) as there:
            assert read_alias(Town) == DEFAULT_DB_ALIAS
            assert Town.objects.get(pk=town.pk).name == "未提交镇"  # its own, uncommitted row
        assert there.captured_queries == []


def test_the_city_compliance_summary_reads_on_the_replica(world: Any) -> None:
    from tests import creation_helpers as ch

    ch.register(world.collective, ch.cycle())
    caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as there:
        page = world.client("city_admin").get(reverse("creation:compliance"))
    assert page.status_code == 200
    assert world.body.name in page.content.decode()  # a row the primary committed
    assert selects(there)


def test_an_export_reads_on_the_replica_and_audits_on_the_primary(world: Any) -> None:
    f.town("导出镇")
    caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as there:
        answer = world.client("city_admin").get(reverse("audit:log"), {"format": "xlsx"})
    assert answer.status_code == 200
    assert any("audit_" in sql for sql in selects(there))
    assert not [q for q in there.captured_queries if "INSERT" in q["sql"].upper()]
    from qnwmh.audit.models import AuditEntry

    assert AuditEntry.objects.filter(code="audit.log.exported").exists()


def test_a_file_built_by_the_worker_reads_on_the_replica(world: Any, settings: Any) -> None:
    from qnwmh.audit.services import log_action
    from qnwmh.downloads.models import FileStatus, GeneratedFile

    settings.EXPORT_INLINE_ROWS = 0  # any export goes to the worker (run at once in tests)
    log_action(world.actor("city_admin"), None, "audit.log.exported", data={})  # one row
    caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as there:
        answer = world.client("city_admin").get(reverse("audit:log"), {"format": "xlsx"})
    assert answer.status_code == 302
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.READY
    assert any("audit_auditentry" in sql for sql in selects(there))
