"""Which filter options occur among a scope's collectives, kept in the cache.

A filter bar offers only the bodies, towns, sectors, ownerships, eligibility states and
statuses that occur in the actor's scope. Working them out takes seven statements (about
8 ms of a list page that otherwise takes 12); they change only when a collective is created,
deleted or moved between them, so they are kept per scope (``core.scope.scope_key``) under
one stamp, and a page reads them in one cache round trip.

Kept: every write that can move a collective's facets ``touch``es the stamp. The collective's
signals do it for a save naming a facet field and for a delete (``counts``), and
``counts.refresh`` and ``counts.rebuild`` do it, which every bulk path already calls with the
bodies it moved. A reader takes the stamp before it reads the rows, so what it keeps is never
older than its stamp; the writer touches again when it commits, so what a reader kept between
the writer's first touch and its commit is not used."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

STAMP = "collectives:facets"
# A backstop: the stamp keeps the options right; this bounds what a cache that lost it keeps.
KEPT_SECONDS = 600


def _new_stamp() -> None:
    cache.set(STAMP, uuid.uuid4().hex, None)


def touch() -> None:
    """Mark every scope's kept options out of date: now, and again when the writer commits."""
    _new_stamp()
    transaction.on_commit(_new_stamp)


def found(scope: str, facets: tuple[str, ...], work: Callable[[], T]) -> T:
    """What ``work`` finds for this scope and these facets: kept under the current stamp, or
    worked out now and kept."""
    key = f"{STAMP}:{scope}:{','.join(facets)}"
    kept = cache.get_many([STAMP, key])
    stamp = kept.get(STAMP)
    if stamp is None:  # never set, or evicted: whoever sets it first wins
        cache.add(STAMP, uuid.uuid4().hex, None)
        stamp = cache.get(STAMP)
    hit = kept.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    value = work()
    cache.set(key, (stamp, value), KEPT_SECONDS)
    return value
