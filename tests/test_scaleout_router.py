"""The replica router's rules that need no replica (the real one: test_scaleout_replica.py),
and how DATABASE_REPLICA_URL and the cache are read from the environment."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS

from qnwmh.core.replica import REPLICA, ReplicaRouter, marked, read_alias, replica_reads
from qnwmh.orgs.models import Town
from tests.test_settings import GOOD_SECRET, run_django

PG = "postgres://u@127.0.0.1:5999/qnwmh"


def test_marks_nest_and_end_with_their_block() -> None:
    assert not marked()
    with replica_reads():
        assert marked()
        with replica_reads():
            assert marked()
        assert marked()
    assert not marked()


def test_a_marked_function_is_marked_only_while_it_runs_in_its_own_thread() -> None:
    seen: dict[str, bool] = {}
    inside, release = threading.Event(), threading.Event()

    @replica_reads
    def report() -> None:
        seen["report"] = marked()
        inside.set()
        release.wait(5)

    worker = threading.Thread(target=report)
    worker.start()
    inside.wait(5)
    seen["other thread"] = marked()  # a request served beside it is not marked
    release.set()
    worker.join()
    assert seen == {"report": True, "other thread": False}


def test_without_a_replica_marked_reads_stay_on_default(monkeypatch: Any) -> None:
    from qnwmh.core import replica

    monkeypatch.setattr(replica, "replica_configured", lambda: False)  # as without the URL
    with replica_reads():
        assert read_alias(Town) == DEFAULT_DB_ALIAS


def test_writes_and_migrations_never_go_to_the_replica() -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Town) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(REPLICA, "orgs") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "orgs") is None


def test_rows_from_either_server_may_be_related() -> None:
    one, two = Town(name="甲"), Town(name="乙")
    one._state.db, two._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert ReplicaRouter().allow_relation(one, two) is True
    two._state.db = "elsewhere"
    assert ReplicaRouter().allow_relation(one, two) is None


def _settings(**env: str) -> Any:
    probe = (
        "from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), "
        "s.DATABASES.get('replica', {}).get('PORT'), s.CACHES['default']['BACKEND'])"
    )
    return run_django(["shell", "-v", "0", "-c", probe], **env)


@pytest.mark.once
def test_a_replica_url_adds_the_replica_alias_mirroring_default_in_tests() -> None:
    done = _settings(DATABASE_URL=PG, DATABASE_REPLICA_URL="postgres://u@127.0.0.1:6000/qnwmh")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == (
        "['default', 'replica'] default 6000 django.core.cache.backends.db.DatabaseCache"
    )


@pytest.mark.once
def test_production_refuses_a_replica_of_sqlite_or_a_replica_that_is_not_postgres() -> None:
    production = {"QNWMH_ENV": "production", "ALLOWED_HOSTS": "x.cn", "SECRET_KEY": GOOD_SECRET}
    done = _settings(DATABASE_REPLICA_URL="postgres://u@h/qnwmh", **production)
    assert done.returncode != 0 and "needs a PostgreSQL DATABASE_URL" in done.stderr
    done = _settings(DATABASE_URL=PG, DATABASE_REPLICA_URL="sqlite:///x", **production)
    assert done.returncode != 0 and "must be a postgres:// URL" in done.stderr
