"""Every back-office list costs the same number of queries at two data sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qnwmh.accounts.models import LoginEvent
from qnwmh.audit.models import AuditEntry
from qnwmh.core.actor import Role
from tests import factories as f
from tests.querycount import assert_constant_queries, count_queries


def grow_collectives(world, n=8):
    def grow():
        for _ in range(n):
            c = f.collective(world.body, members=3)
            f.title(c)
            f.title(c, level="provincial", session_no=20, year=2021)

    return grow


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager"])
def test_collective_list(world, role):
    client = world.client(role)
    url = reverse("collectives:list")
    assert_constant_queries(lambda: client.get(url), grow_collectives(world))


def test_collective_list_filtered_and_searched(world):
    client = world.client("body_admin")
    url = (
        reverse("collectives:list")
        + "?q=集体&level=city&eligibility=not_met&ownership=public_institution"
    )
    assert_constant_queries(lambda: client.get(url), grow_collectives(world))


def test_collective_detail(world):
    client = world.client("body_admin")
    url = reverse("collectives:detail", args=[world.collective.code])

    def grow():
        for _ in range(20):
            f.member(world.collective)
        f.title(world.collective, level="provincial", session_no=20, year=2021, status="revoked")

    assert_constant_queries(lambda: client.get(url), grow)


def test_user_list(world):
    client = world.client("city_admin")

    def grow():
        for _ in range(10):
            f.user(None, Role.COLLECTIVE_MANAGER, collective=world.collective)

    assert_constant_queries(lambda: client.get(reverse("accounts:user_list")), grow)


def test_user_list_for_a_body_admin(world):
    client = world.client("body_admin")

    def grow():
        for _ in range(10):
            f.user(None, Role.COLLECTIVE_MANAGER, collective=world.collective)

    assert_constant_queries(lambda: client.get(reverse("accounts:user_list")), grow)


def test_login_log(world):
    client = world.client("city_admin")

    def grow():
        LoginEvent.objects.bulk_create(
            # More than the log's page of 50 at both sizes (``assert_constant_queries``).
            [LoginEvent(kind="failure", username=f"u{i}") for i in range(60)]
        )

    assert_constant_queries(lambda: client.get(reverse("accounts:login_log")), grow)


def test_audit_log(world):
    client = world.client("city_admin")

    def grow():
        AuditEntry.objects.bulk_create(
            [AuditEntry(actor_label="x", code=f"t.{i}") for i in range(60)]
        )

    assert_constant_queries(lambda: client.get(reverse("audit:log") + "?code=t."), grow)


def test_organisation_list(world):
    client = world.client("city_admin")

    def grow():
        for _ in range(5):
            f.collective(f.body(), members=1)

    assert_constant_queries(lambda: client.get(reverse("orgs:list")), grow)


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager"])
def test_home(world, role):
    client = world.client(role)
    assert_constant_queries(lambda: client.get(reverse("core:home")), grow_collectives(world, 5))


@pytest.mark.parametrize("role", ["city_admin", "body_admin"])
def test_home_asks_its_numbers_in_one_statement(world, role):
    """Every app's counts on the home (core.home's tallies) come in one round trip."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client(role)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:home")).status_code == 200
    counting = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] or "SUM(" in q["sql"]
    ]
    assert len(counting) == 1, counting
    assert counting[0].startswith("SELECT (")


def test_my_files_list(world):
    from qnwmh.downloads.models import FileStatus, GeneratedFile

    owner = world.users["body_admin"]

    def grow():
        for status in (FileStatus.QUEUED, FileStatus.READY, FileStatus.FAILED):
            GeneratedFile.objects.create(owner=owner, label="集体名单", status=status, job="x.y")

    client = world.client("body_admin")
    assert_constant_queries(lambda: client.get(reverse("downloads:list")), grow)


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager"])
def test_collective_detail_with_rows_in_its_panels(world, role):
    """The panels' rows (stories, rewards, pairs) do not add queries either, and a collective
    with nothing in its panels pays no query for them (the loader's probes)."""
    from qnwmh.recognition.models import StoryStatus
    from tests import factories_partnerships as fp
    from tests import factories_recognition as fr

    client = world.client(role)
    url = reverse("collectives:detail", args=[world.collective.code])
    client.get(url)
    empty = count_queries(lambda: client.get(url))
    city, body = world.users["city_admin"], world.users["body_admin"]
    paired = []

    def grow():
        for _ in range(3):
            f.member(world.collective)
            fr.reward(world.collective, city)
            fr.story(world.collective, body, status=StoryStatus.PUBLISHED)
        if not paired:  # one open pair per mentee and cycle
            paired.append(fp.pair(world))

    full = assert_constant_queries(lambda: client.get(url), grow)
    assert empty < full


def test_public_collective_page_with_rows_in_its_panels(world):
    from qnwmh.recognition.models import StoryStatus
    from tests import factories_partnerships as fp
    from tests import factories_recognition as fr

    client = world.client("anonymous")
    url = reverse("public:collective", args=[world.collective.code])
    client.get(url)
    empty = count_queries(lambda: client.get(url))
    body = world.users["body_admin"]
    paired = []

    def grow():
        for _ in range(3):
            fr.story(world.collective, body, status=StoryStatus.PUBLISHED)
        if not paired:  # one open pair per mentee and cycle
            paired.append(fp.pair(world, status="active"))

    full = assert_constant_queries(lambda: client.get(url), grow)
    assert empty < full
