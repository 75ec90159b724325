"""The tests that prove the embedded default (SQLite, what ``./run serve`` runs on), marked
``embedded``.

``./run test`` alone runs every test on SQLite. CI runs every test on PostgreSQL, the production
database, and on SQLite only these: where the two engines can answer differently. The rest of
the suite drives the same views, services and ORM queries on either engine, and running it
twice cost CI five minutes.

A file belongs here when it covers one of:
- the embedded default starting, migrating and loading the demo;
- a whole cycle of the programme through the pages and the API;
- a branch on ``connection.vendor`` (kept counts, the creation rebuild, bulk import, the
  re-review's bulk insert);
- the worker and its database queue, which ``./run serve`` runs beside the web server;
- SQL that dialects write differently: LIKE's case rules, window functions, month truncation,
  random order, and the SQL a prepared query keeps.
"""

from __future__ import annotations

from typing import Any

import pytest

FILES = frozenset(
    {
        # Starting, migrating, the demo, a whole cycle.
        "tests/test_smoke.py",
        "tests/test_demo.py",
        "tests/test_access_migration.py",
        "tests/test_lifecycle.py",
        # Branches on the engine.
        "tests/test_collective_counts.py",
        "tests/test_creation_membership.py",
        "tests/test_creation_tallies.py",
        "tests/test_spreadsheets_import.py",
        "tests/test_oversight_review.py",
        # The worker and its queue.
        "tests/test_worker.py",
        "tests/test_background_tasks.py",
        "tests/test_outbox.py",
        "tests/test_spreadsheets_background.py",
        # SQL the dialects write differently.
        "tests/test_collective_search.py",
        "tests/test_public.py",
        "tests/test_awards_ranking.py",
        "tests/test_dashboards.py",
        "tests/test_oversight_spotcheck_draw.py",
        "tests/test_prepared.py",
    }
)


def mark(items: list[Any]) -> None:
    for item in items:
        if item.nodeid.split("::", 1)[0] in FILES:
            item.add_marker(pytest.mark.embedded)
