"""Fixtures shared by every test: one small world with a user of every role plus an
outsider body, and the browser set-up for Debian's Chromium."""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from qnwmh.accounts.models import User
from qnwmh.collectives.models import Collective, Member, Title
from qnwmh.core.actor import Role
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.programme.models import ProgrammeRules
from tests import embedded
from tests import factories as f
from tests.scheduling import pytest_xdist_make_scheduler  # noqa: F401  (the workers' share)
from tests.schema_cache import install as _install_schema_cache

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + ORM
_install_schema_cache()  # test databases from the migrated copy (tests/schema_cache.py)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

ROLES = ("anonymous", "city_admin", "body_admin", "outsider", "manager", "reviewer")


def _serialise_live_server_on_shared_sqlite() -> None:
    """On SQLite the live server's request threads share the test's one in-memory connection;
    two requests at once (a phone page loading its thumbnails) then race on it ("cannot start
    a transaction within a transaction", a lost session). Where Django hands the server that
    shared connection, its requests take turns; PostgreSQL's own connections are untouched."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class TakingTurns(ThreadedWSGIServer):
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, connections_override=connections_override, **kwargs)
            self.turn = threading.Lock() if connections_override else None

        def set_app(self, application: Any) -> None:
            turn = self.turn
            if turn is None:
                return super().set_app(application)

            def in_turn(environ: Any, start_response: Any) -> list[bytes]:
                with turn:  # the whole response is read while the turn is held
                    result = application(environ, start_response)
                    try:
                        body = b"".join(result)
                    finally:
                        getattr(result, "close", lambda: None)()
                return [body]

            return super().set_app(in_turn)

    LiveServerThread.server_class = TakingTurns


_serialise_live_server_on_shared_sqlite()


@dataclass
class World:
    city: Organisation
    body: Organisation
    other_body: Organisation
    town: Town
    other_town: Town
    sector: Sector
    collective: Collective
    other_collective: Collective
    member: Member
    title: Title
    users: dict[str, User]

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def actor(self, role: str) -> Any:
        return f.actor(self.users.get(role))


@pytest.fixture
def rules(db: Any) -> ProgrammeRules:
    return ProgrammeRules.current()


def build_world() -> World:
    ProgrammeRules.current()
    town = f.town("石岐街道", kind="street")
    other_town = f.town("小榄镇")
    body = f.body(town)
    other_body = f.body(other_town)
    sector = f.sector("卫生健康")
    collective = f.collective(body, name="石岐街道便民服务中心青年服务窗口", members=8)
    other_collective = f.collective(
        other_body, name="小榄镇社区卫生服务中心青年护理团队", members=8
    )
    title = f.title(collective)
    users = {
        "city_admin": f.user("city", Role.CITY_ADMIN, organisation=f.city()),
        "body_admin": f.user("bodyadmin", Role.BODY_ADMIN, organisation=body),
        "outsider": f.user("outsider", Role.BODY_ADMIN, organisation=other_body),
        "manager": f.user("manager", Role.COLLECTIVE_MANAGER, collective=collective),
        "reviewer": f.user("reviewer", Role.REVIEWER),
    }
    return World(
        city=f.city(),
        body=body,
        other_body=other_body,
        town=town,
        other_town=other_town,
        sector=sector,
        collective=collective,
        other_collective=other_collective,
        member=collective.members.order_by("id").first(),  # type: ignore[arg-type]
        title=title,
        users=users,
    )


# The world is built once per test module and each test rolls back to it, as Django's
# TestCase.setUpTestData does: the module's tests run inside one outer transaction that holds
# the world, each test in a savepoint of its own, and each test gets its own deep copy of the
# world's objects, so a change one test makes in memory never reaches the next. A module
# qualifies when every database test in it asks for ``world`` and none needs real commits
# (transactional tests, live servers); the others build the world per test, as before.


def _needs_commits(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server", "django_db_serialized_rollback"}
    )


def _shares_world(module: Any, items: list[Any]) -> bool:
    mine = [i for i in items if getattr(i, "module", None) is module]
    for item in mine:
        names = set(getattr(item, "fixturenames", ()))
        uses_db = bool(names & {"db", "rules", "world"}) or item.get_closest_marker("django_db")
        if _needs_commits(item) or (uses_db and "world" not in names):
            return False
    return True


@contextmanager
def module_transaction(django_db_blocker: Any) -> Iterator[None]:
    """One outer transaction for a module's tests, rolled back at the end: what is built inside
    it is shared by the module's tests, each of which runs in a savepoint of its own."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(request: Any, django_db_setup: Any, django_db_blocker: Any) -> Any:
    if not getattr(request.module, "_qnwmh_shares_world", False):
        yield None
        return
    with module_transaction(django_db_blocker):
        shared = build_world()
        yield shared


@pytest.fixture
def world(_module_world: World | None, db: Any, rules: ProgrammeRules) -> World:
    if _module_world is None:
        return build_world()
    return copy.deepcopy(_module_world)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_kept_rankings() -> None:
    """Kept rankings are keyed by the round's id and data; ids repeat between tests."""
    from django.core.cache import cache

    from qnwmh.awards.services import ranking_cache

    cache.clear()
    ranking_cache.clear()


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    """Each test starts in the default language, whatever an earlier request switched to."""
    from django.utils import translation

    with translation.override(settings_language()):
        yield


def settings_language() -> str:
    from django.conf import settings

    return settings.LANGUAGE_CODE


# Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    chromium = shutil.which(CHROMIUM) is not None
    with_replica = "replica" in settings.DATABASES
    embedded.mark(items)
    keep, dropped = [], []
    for item in items:
        if item.get_closest_marker("postgres") and not on_postgres:
            # PostgreSQL-only tests belong to the PostgreSQL run (CI runs both).
            dropped.append(item)
            continue
        if item.get_closest_marker("once") and on_postgres:
            # Database-independent and slow: it runs in the SQLite pass of the same CI run.
            dropped.append(item)
            continue
        if item.get_closest_marker("browser") and not chromium:
            item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))
        if with_replica and _needs_commits(item):
            _let_read_the_replica(item)
        keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    for module in {getattr(item, "module", None) for item in items} - {None}:
        module._qnwmh_shares_world = _shares_world(module, items)


def _let_read_the_replica(item: Any) -> None:
    """With a replica configured (the PostgreSQL pass of CI), a test whose data are committed
    lets the views it drives read there, as production does: the pages marked for replica
    reads (compliance, ranking, exports…) then answer from the real replica. Tests whose data
    stay in a rolled-back transaction need nothing: reads inside a transaction stay on default."""
    marker = item.get_closest_marker("django_db")
    kwargs = dict(marker.kwargs) if marker else {}
    kwargs["transaction"] = True
    if kwargs.get("databases") is None:
        kwargs["databases"] = ["default", "replica"]
    item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


# Rows the migrations seed (the 三个一 duty checklist, the mutual-visit appraisal items). A test that needs real commits ends by
# emptying every table; with one worker per core such a test can run before other files' tests
# in the same worker, so the seed is put back after it, as the migrations left it.
SEEDS = [
    ("qnwmh.creation.migrations.0002_duty_kinds", "load"),
    ("qnwmh.exchange.migrations.0002_appraisal_items", "seed"),
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Any:
    yield
    if _needs_commits(item) and nextitem is not None:
        import importlib

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for module, function in SEEDS:
                getattr(importlib.import_module(module), function)(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    # In CI nothing may skip: a browser or database test that cannot run is a failure.
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI: {report.longrepr}"
