"""Test databases from a cached schema: the migrations run once per set of migrations, not once
per worker and per run.

Running every migration (about ninety, with Django's model state rebuilt after each) took each
worker 20–40 seconds before its first test. Now the first worker to need a database migrates
it as before and keeps a copy; every other worker, and every later run with the same
migrations, starts from that copy, which holds exactly what the migrations left (tables,
indexes, seeded rows, content types, permissions, the cache table):

- SQLite (an in-memory database per worker): the copy is a file under ``var/test-db/``,
  restored with SQLite's backup API;
- PostgreSQL: the copy is a template database on the same server
  (``qnwmh_test_tmpl_<key>``), and each worker's database is created from it.

The key is a hash of every migration file, the pinned requirements (third-party migrations)
and the engine, so a new or edited migration makes a new copy. Workers take turns with a lock
(a file lock, a PostgreSQL advisory lock), so the second waits for the first's copy instead of
migrating too. ``QNWMH_TEST_DB_CACHE=0`` migrates every time, as Django does.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.base.creation import BaseDatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "test-db"
TEMPLATE_PREFIX = "qnwmh_test_tmpl_"


def schema_key(engine: str) -> str:
    """What the migrated database depends on: our migrations, the pinned third-party packages
    (their migrations), the installed apps and the engine."""
    digest = hashlib.sha256(engine.encode())
    digest.update(repr(settings.INSTALLED_APPS).encode())
    files = [*sorted((ROOT / "qnwmh").glob("*/migrations/*.py")), ROOT / "requirements.txt"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def migrate_replaced_by(restore: Callable[[], None]) -> Iterator[None]:
    """While the test database is created, its ``migrate`` is ``restore``; other commands
    (``createcachetable``) run as usual."""
    from django.core import management

    original = management.call_command

    def call_command(name: str, *args: Any, **options: Any) -> Any:
        if name == "migrate":
            return restore()
        return original(name, *args, **options)

    management.call_command = call_command  # type: ignore[assignment]
    try:
        yield
    finally:
        management.call_command = original  # type: ignore[assignment]


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_sqlite(creation: Any, create: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    key = schema_key("sqlite")
    copy = CACHE_DIR / f"{key}.sqlite3"
    with file_lock(CACHE_DIR / f"{key}.lock"):
        if copy.exists():

            def restore() -> None:
                creation.connection.ensure_connection()
                with contextlib.closing(sqlite3.connect(copy)) as source:
                    source.backup(creation.connection.connection)

            with migrate_replaced_by(restore):
                return create(*args, **kwargs)
        name = create(*args, **kwargs)
        partial = copy.with_suffix(f".{os.getpid()}.part")
        with contextlib.closing(sqlite3.connect(partial)) as target:
            creation.connection.connection.backup(target)
        partial.replace(copy)  # whole or absent: a reader never sees a half-written copy
        return name


def create_postgresql(creation: Any, create: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    connection = creation.connection
    template = postgresql_template()
    lock = int(hashlib.sha256(template.encode()).hexdigest()[:15], 16)
    test_settings = connection.settings_dict.setdefault("TEST", {})
    with connection._nodb_cursor() as guard:
        guard.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            guard.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if guard.fetchone():
                test_settings["TEMPLATE"] = template
                try:
                    with migrate_replaced_by(lambda: None):
                        return create(*args, **kwargs)
                finally:
                    del test_settings["TEMPLATE"]
            name = create(*args, **kwargs)
            connection.close()  # a template is copied only while nobody is connected to it
            guard.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
            connection.ensure_connection()
            return name
        finally:
            guard.execute("SELECT pg_advisory_unlock(%s)", [lock])


def sqlite_copy() -> Path | None:
    """The migrated SQLite copy, if a test database was made this way already."""
    copy = CACHE_DIR / f"{schema_key('sqlite')}.sqlite3"
    return copy if copy.exists() else None


def postgresql_template() -> str:
    """The name of the migrated template database (it may not exist yet)."""
    return TEMPLATE_PREFIX + schema_key("postgresql")


def install() -> None:
    """Route the creation of in-memory SQLite and PostgreSQL test databases through the cache."""
    if os.environ.get("QNWMH_TEST_DB_CACHE", "1") == "0":
        return
    original = BaseDatabaseCreation.create_test_db

    def create_test_db(self: Any, *args: Any, **kwargs: Any) -> str:
        def create(*a: Any, **k: Any) -> str:
            return original(self, *a, **k)

        keepdb = kwargs.get("keepdb", False)
        vendor = self.connection.vendor
        if not keepdb and vendor == "sqlite" and self.is_in_memory_db(self._get_test_db_name()):
            return create_sqlite(self, create, *args, **kwargs)
        if not keepdb and vendor == "postgresql":
            return create_postgresql(self, create, *args, **kwargs)
        return create(*args, **kwargs)

    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]
