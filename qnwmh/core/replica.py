"""Reads that may be answered by a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``).

Dashboards, exports and reports read much and write little; with a replica configured they
read there and leave the primary to the clerks' writes. Code marks such reads, and only those:

    @replica_reads                     # a view (or any function)
    def compliance_view(request): ...

    with replica_reads():              # a block
        rows = list(qs)

``inline_or_background`` (``qnwmh.core.background``) and the downloads worker mark every
export and generated file, so an export's module needs nothing of its own.

Inside a marked block, ``ReplicaRouter`` sends reads to the ``replica`` alias, except:

- everything outside a marked block, and every write anywhere, goes to ``default``;
- while the default connection is inside a transaction (``transaction.atomic``) reads stay on
  ``default``: a transaction may have written rows the replica cannot see yet (read your own
  writes), and a transaction is one snapshot of one server — half of its reads from another
  server (a replica lags by up to its replay delay) would break what it locked or counted;
- Django's tables of process-shared state (the cache table, sessions, the task queue) are
  always read on ``default``: a node must see what another node just wrote there.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and marks change nothing.
A replica lags behind the primary (milliseconds when healthy): a report may miss the last
second's changes, which is why only reads that tolerate that are marked.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from contextlib import ContextDecorator
from typing import Any, TypeVar, overload

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
F = TypeVar("F", bound=Callable[..., Any])

# Apps whose rows coordinate processes: read where they were just written.
_PRIMARY_ONLY_APPS = frozenset({"django_cache", "sessions", "axes", "django_tasks_database"})

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("replica_reads", default=0)


class _ReplicaReads(ContextDecorator):
    """Context manager and decorator: reads inside may go to the replica (nesting allowed)."""

    def __enter__(self) -> _ReplicaReads:
        self._token = _depth.set(_depth.get() + 1)
        return self

    def __exit__(self, *exc: object) -> None:
        _depth.reset(self._token)

    def _recreate_cm(self) -> _ReplicaReads:
        return _ReplicaReads()  # a fresh token per call: a decorated function may re-enter


@overload
def replica_reads(func: F) -> F: ...
@overload
def replica_reads(func: None = None) -> _ReplicaReads: ...
def replica_reads(func: F | None = None) -> F | _ReplicaReads:
    """``@replica_reads`` on a function or ``with replica_reads():`` around a block."""
    if func is None:
        return _ReplicaReads()
    return _ReplicaReads()(func)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def marked() -> bool:
    return _depth.get() > 0


def read_alias(model: type[Model] | None = None) -> str:
    """Where a read of ``model`` made now goes (the router's answer)."""
    if not marked() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if model is not None and model._meta.app_label in _PRIMARY_ONLY_APPS:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: marked reads to the replica, everything else to default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return read_alias(model)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows: an object read there may be linked to one from
        # the primary (an export's audit entry naming what it read).
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica replays the primary's schema; it is never migrated itself.
        return False if db == REPLICA else None
