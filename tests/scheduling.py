"""How ``./run test`` shares the suite between its workers (one per core).

xdist's ``loadfile`` sends whole files to a worker, so a module's shared world is built once; but
it hands them out largest-count first, so the few files that take longest (a schemathesis run, a
browser journey, a Django start-up in a subprocess) hold only a few tests each and come last,
and one worker finishes them alone while the other idles. This scheduler keeps ``loadfile``'s
grouping and changes two things:

- files whose tests each run their own server or process are shared out test by test, so their
  cost splits across the workers (none of them shares a world between its tests);
- the heaviest work goes first (longest-processing-time first), from the costs below, so the
  tail is made of short files and the workers finish together.

Nothing is selected or skipped here: only the order and the grouping change.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from xdist.scheduler import LoadFileScheduling

# Files whose tests each start their own live server, browser page or subprocess, and share no
# module data, or each run a whole cycle of the programme: each test is a unit of its own.
PER_TEST = (
    "tests/api/test_schemathesis.py",
    "tests/test_lifecycle.py",
    "tests/browser/*.py",
    "tests/test_*_browser.py",
    "tests/test_settings.py",
    "tests/test_worker.py",
)

# Rough seconds one test takes on one core (PostgreSQL, measured 2026-11-30), matched against
# the test's id, first match wins; only the order depends on them, so a stale figure costs a
# little balance, never a test. Any other test counts DEFAULT_SECONDS.
SECONDS_PER_TEST = {
    "tests/test_lifecycle.py::*": 30.0,
    "tests/api/test_schemathesis.py::*": 55.0,
    "tests/test_i18n.py::test_every_source_string_is_in_a_catalogue": 4.0,
    "tests/test_ui_browser.py::test_every_back_office_page_fits_a_phone*": 11.0,
    "tests/test_settings.py::test_production_passes_check_deploy*": 5.0,
    "tests/test_settings.py::test_check_deploy_fails_while*": 5.0,
    "tests/test_supervision_ratelimit.py::*": 6.0,
    "tests/test_worker.py::*": 4.5,
    "tests/browser/*": 2.0,
    "tests/test_*_browser.py::*": 2.5,
    "tests/test_supervision_demo.py::*": 3.0,
    "tests/test_dashboards_demo.py::*": 6.0,
    "tests/test_dashboards.py::test_every_figure_equals_its_lists_count_on_random_data": 15.0,
    "tests/test_demo.py::*": 2.5,
    "tests/test_cycles_concurrency.py::*": 2.5,
    "tests/test_english_punctuation.py::*": 2.0,
    "tests/test_settings.py::*": 1.5,
    "tests/api/test_queries.py::*": 0.8,
    "tests/test_cycles_query_counts.py::*": 0.75,
    "tests/test_creation_tallies.py::*": 0.7,
    "tests/test_query_counts.py::*": 0.45,
    "tests/test_public_boards.py::*": 0.4,
    "tests/api/test_api_matrix.py::*": 0.33,
    "tests/test_hostile_query.py::*": 0.3,
    "tests/test_authorization_matrix.py::*": 0.25,
}
DEFAULT_SECONDS = 0.15


def _matches(name: str, patterns: Any) -> str | None:
    return next((p for p in patterns if fnmatch.fnmatchcase(name, p)), None)


def seconds_of(nodeid: str) -> float:
    pattern = _matches(nodeid, SECONDS_PER_TEST)
    return SECONDS_PER_TEST[pattern] if pattern else DEFAULT_SECONDS


class HeaviestFirst(LoadFileScheduling):
    """``loadfile``, with per-test units for PER_TEST files and the costliest units first."""

    _ordered = False

    def _split_scope(self, nodeid: str) -> str:
        path = super()._split_scope(nodeid)
        return nodeid if _matches(path, PER_TEST) else path

    def _assign_work_unit(self, node: Any) -> None:
        if not self._ordered:
            units = sorted(self.workqueue.items(), key=lambda unit: -sum(map(seconds_of, unit[1])))
            self.workqueue.clear()
            self.workqueue.update(units)
            self._ordered = True
        super()._assign_work_unit(node)


@pytest.hookimpl(optionalhook=True)  # absent when xdist is off (-p no:xdist)
def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None  # another distribution asked for explicitly: xdist's own
    return HeaviestFirst(config, log)
