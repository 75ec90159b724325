"""One way to lock what a rule counts, so two requests cannot both pass the same check.

PostgreSQL takes a row lock (SELECT ... FOR UPDATE). SQLite has no row locks, but our SQLite
transactions are IMMEDIATE (see settings), so a writer already holds the database write lock
from BEGIN and concurrent writers queue behind it.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def lock(model: type[M], pk: object) -> M:
    """Re-read ``model`` row ``pk`` under a lock held until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must run inside transaction.atomic()")
    return model._default_manager.select_for_update().get(pk=pk)
