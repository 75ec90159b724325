"""Kept collective counts: every write that can move a collective's body, status or
eligibility (the services, the roster, the rules' refresh, the importer) leaves them equal to
a recount; the office home reads them and each of its numbers is the count of the list it
links to; the rebuild repairs what a bulk load left out."""

from __future__ import annotations

import random
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from qnwmh.collectives import counts, services
from qnwmh.collectives.importing.services import import_apply, import_upload
from qnwmh.collectives.models import (
    Collective,
    CollectiveCount,
    CollectiveStatus,
    Eligibility,
)
from qnwmh.core.actor import Role
from qnwmh.core.home import tasks_for
from qnwmh.programme.services import rules_update
from tests import factories as f
from tests.querycount import assert_constant_queries
from tests.xlsx_builders import small_valid_file, upload

pytestmark = pytest.mark.django_db


def _kept() -> dict[tuple[Any, ...], int]:
    return {(r.body_id, r.status, r.eligibility): r.n for r in CollectiveCount.objects.all()}


def _recounted() -> dict[tuple[Any, ...], int]:
    return {
        tuple(g[k] for k in counts.GROUP): g["n"]
        for g in Collective.objects.order_by().values(*counts.GROUP).annotate(n=Count("id"))
    }


class Walk:
    """The moves of the random walk, each through the service a clerk's page calls."""

    def __init__(self, world: Any, rnd: random.Random) -> None:
        self.world = world
        self.rnd = rnd
        self.city = world.actor("city_admin")
        self.places = [(world.body, world.town), (world.other_body, world.other_town)]
        self.made = 0

    def _one(self) -> Collective:
        return Collective.objects.order_by("?").first()  # type: ignore[return-value]

    def create(self) -> None:
        body, town = self.rnd.choice(self.places)
        self.made += 1
        services.collective_create(
            self.city,
            values={
                "name": f"随机集体{self.made}",
                "work_unit": "某单位",
                "body": body,
                "town": town,
                "ownership": "non_public",
            },
        )

    def move(self) -> None:
        body, town = self.rnd.choice(self.places)
        services.collective_update(
            self.city, collective=self._one(), values={"body": body, "town": town}
        )

    def archive(self) -> None:
        services.collective_archive(self.city, collective=self._one(), reason="机构撤并")

    def reactivate(self) -> None:
        services.collective_update(
            self.city, collective=self._one(), values={"status": CollectiveStatus.ACTIVE}
        )

    def profile(self) -> None:  # moves nothing counted
        services.collective_update(
            self.city, collective=self._one(), values={"pledges": f"承诺{self.rnd.random()}"}
        )

    def join(self) -> None:
        self.made += 1
        services.member_add(
            self.city,
            collective=self._one(),
            values={
                "name": f"成员{self.made}",
                "birth_date": f.years_ago(self.rnd.choice([22, 30, 38, 44])),
                "is_leader": self.rnd.random() < 0.3,
            },
        )

    def leave(self) -> None:
        member = self._one().members.current().order_by("?").first()
        if member is not None:
            services.member_remove(self.city, member=member)

    def rules(self) -> None:
        rules_update(self.city, values={"members_min": self.rnd.choice([5, 8, 9, 12])})
        services.eligibility_refresh_all(batch=3)  # what the change queues, in small batches

    def imported(self) -> None:
        self.made += 1
        body = self.rnd.choice(self.places)[0]
        batch = import_upload(
            self.city, upload=upload(small_valid_file(body, (f"导入集体{self.made}",)), "x.xlsx")
        )
        import_apply(self.city, batch=batch)


def test_a_random_walk_through_the_writes_keeps_the_counts(world: Any) -> None:
    rnd = random.Random(15)
    walk = Walk(world, rnd)
    for _ in range(4):
        walk.create()
    assert _kept() == _recounted()
    moves = ["create", "move", "archive", "reactivate", "profile", "join", "leave", "leave"]
    moves += ["rules", "imported"]
    done: list[str] = []
    states: set[tuple[Any, ...]] = set()
    for step in range(60):
        move = rnd.choice(moves)
        try:
            getattr(walk, move)()
            done.append(move)
        except Exception:  # a move the rules refuse changes nothing
            pass
        assert _kept() == _recounted(), (step, move)
        states |= set(_kept())
    assert set(moves) <= set(done)  # every kind of write ran at least once
    # The walk went through every status and eligibility, in both bodies.
    assert {s[1] for s in states} == set(CollectiveStatus.values)
    assert {s[2] for s in states} == set(Eligibility.values)
    assert {s[0] for s in states} == {world.body.pk, world.other_body.pk}


def test_rebuild_repairs_what_a_bulk_load_left_out(world: Any) -> None:
    Collective.objects.filter(pk=world.collective.pk).update(status=CollectiveStatus.ARCHIVED)
    Collective.objects.bulk_create(
        [Collective(name="批量集体", work_unit="x", body=world.body, town=world.town)]
    )
    assert _kept() != _recounted()  # bulk writes outside the services
    call_command("rebuild_collective_counts")
    assert _kept() == _recounted()


def _page_count(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def _mixed_user(world: Any) -> Any:
    """A body admin of one body who also manages a collective of another."""
    from qnwmh.access.models import RoleAssignment

    user = f.user("mixed", Role.BODY_ADMIN, organisation=world.body)
    RoleAssignment.objects.create(
        user=user, role=Role.COLLECTIVE_MANAGER, collective=world.other_collective
    )
    return user


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "mixed"])
def test_each_home_number_is_the_count_of_the_list_it_opens(world: Any, role: str) -> None:
    for body in (world.body, world.other_body):
        f.collective(body, members=3)  # too few: not met
        f.collective(body, members=0, status=CollectiveStatus.ARCHIVED)
        near = f.collective(body, members=8)
        services.member_update(
            world.actor("city_admin"),
            member=near.members.get(is_leader=True),
            values={"birth_date": f.years_ago(40)},  # a leader at the age limit: near
        )
    if role == "mixed":
        user = _mixed_user(world)
        client = world.client("anonymous")
        client.force_login(user)
        actor = f.actor(user)
    else:
        client, actor = world.client(role), world.actor(role)
    listed = reverse("collectives:list")
    numbered = [
        t for t in tasks_for(actor) if t.count is not None and urlsplit(t.url).path == listed
    ]
    assert len(numbered) == 3
    for task in numbered:
        assert task.count == _page_count(client, task.url), task.title
    seen = {str(t.title): t.count for t in numbered}
    assert seen["不符合资格条件的集体"] and seen["接近资格临界的集体"]  # not all zeros
    # The archived ones are in the list, not in the home's total.
    assert _page_count(client, listed) > seen["集体总数"]


@pytest.mark.parametrize("role", ["city_admin", "body_admin"])
def test_the_home_costs_the_same_queries_at_any_size(world: Any, role: str) -> None:
    def grow() -> None:
        for body in (world.body, world.other_body, f.body()):
            f.collective(body, members=2)
            f.collective(body, members=0, status=CollectiveStatus.ARCHIVED)

    client = world.client(role)
    assert_constant_queries(lambda: client.get(reverse("core:home")), grow)


def test_the_list_filters_on_status(world: Any) -> None:
    services.collective_archive(
        world.actor("city_admin"), collective=world.other_collective, reason="撤并"
    )
    client = world.client("city_admin")
    url = reverse("collectives:list")
    page = client.get(url).content.decode()
    assert 'name="status"' in page  # both statuses occur: the filter bar offers the choice
    assert _page_count(client, f"{url}?status=archived") == 1
    assert (
        _page_count(client, f"{url}?status=active")
        == Collective.objects.filter(status=CollectiveStatus.ACTIVE).count()
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_in_one_body_recount_one_after_the_other() -> None:
    body = f.body()
    collectives = [f.collective(body, members=0) for _ in range(6)]
    barrier = threading.Barrier(len(collectives) * 2)
    errors: list[str] = []

    def write(collective: Any, archive: bool) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                if archive:
                    locked = Collective.objects.select_for_update().get(pk=collective.pk)
                    locked.status = CollectiveStatus.ARCHIVED
                    locked.save(update_fields=["status"])
                else:
                    f.collective(body, members=0)
                time.sleep(0.05)  # the others write while this one has not committed
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(c, archive))
        for c in collectives
        for archive in (True, False)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert counts.per_eligibility([body.pk]) == {Eligibility.NOT_MET: 6}
    assert counts.per_eligibility([body.pk], CollectiveStatus.ARCHIVED) == {Eligibility.NOT_MET: 6}
    assert _kept() == _recounted()
