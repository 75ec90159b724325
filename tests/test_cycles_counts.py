"""Kept registration counts: every write through the services leaves them equal to a recount,
the bulk filing included; the pages read them; the rebuild repairs what a bulk load missed."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count

from qnwmh.collectives.models import Ownership
from qnwmh.cycles import counts, services
from qnwmh.cycles.models import (
    BodySubmission,
    Registration,
    RegistrationCount,
    RegistrationStatus,
)
from qnwmh.cycles.selectors import cap_figures, quota_table, town_view
from tests import factories as f
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def _kept() -> dict[tuple[Any, ...], int]:
    return {
        (r.cycle_id, r.body_id, r.town_id, r.ownership, r.status, r.special): r.n
        for r in RegistrationCount.objects.all()
    }


def _recounted() -> dict[tuple[Any, ...], int]:
    return {
        tuple(g[k] for k in counts.GROUP): g["n"]
        for g in Registration.objects.order_by().values(*counts.GROUP).annotate(n=Count("id"))
    }


def test_a_random_walk_through_the_services_keeps_the_counts(world: Any) -> None:
    cycle = fc.cycle()
    for body in (world.body, world.other_body):
        fc.quota(cycle, body, 30)
    admins = {world.body.pk: world.actor("body_admin"), world.other_body.pk: None}
    rnd = random.Random(15)
    regs = [
        fc.registration(
            cycle,
            f.collective(
                rnd.choice([world.body, world.other_body]),
                ownership=rnd.choice([Ownership.PUBLIC_INSTITUTION, Ownership.NON_PUBLIC]),
            ),
        )
        for _ in range(12)
    ]
    assert _kept() == _recounted()
    city = world.actor("city_admin")
    moved = 0
    for step in range(40):
        reg = Registration.objects.get(pk=rnd.choice(regs).pk)
        actor = admins.get(reg.body_id) or city
        move = rnd.choice(["accept", "return", "reject", "withdraw", "special", "resubmit"])
        try:
            if move == "accept":
                services.registration_accept(actor, registration=reg)
            elif move == "return":
                services.registration_return(actor, registration=reg, reason="补充材料")
            elif move == "reject":
                services.registration_reject(actor, registration=reg, reason="不符合")
            elif move == "withdraw":
                services.registration_withdraw(actor, registration=reg, reason="撤回")
            elif move == "special":
                services.registration_set_special(city, registration=reg, value=True)
            else:
                services.registration_resubmit(
                    world.actor("manager"), registration=reg, values=fc.values()
                )
            moved += 1
        except Exception:  # a move the rules refuse changes nothing
            pass
        assert _kept() == _recounted(), (step, move)
    assert moved >= 10  # the walk went somewhere


def test_filing_a_body_list_at_once_moves_the_counts(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    reg = fc.registration(cycle, world.collective)
    admin = world.actor("body_admin")
    services.registration_accept(admin, registration=reg)
    sub = services.submission_submit(admin, cycle=cycle, body=world.body)
    services.submission_accept(
        world.actor("city_admin"), submission=BodySubmission.objects.get(pk=sub.pk)
    )
    assert counts.per_status(cycle.pk, None) == {RegistrationStatus.FILED: 1}
    assert _kept() == _recounted()


def test_the_figures_read_the_kept_counts(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 5)
    fc.registration(cycle, world.collective, status=RegistrationStatus.ACCEPTED)
    fc.registration(
        cycle,
        f.collective(world.body),
        status=RegistrationStatus.FILED,
        special_recommendation=True,
    )
    fc.registration(cycle, f.collective(world.body))
    [row] = quota_table(world.actor("city_admin"), cycle)
    assert (row.used, row.pending, row.special) == (2, 1, 1)
    caps = cap_figures(world.actor("city_admin"), cycle)
    assert (caps.accepted, caps.special) == (2, 1)
    by_town = {r.town.pk: r.total for r in town_view(cycle)}
    assert by_town[world.collective.town_id] == 3


def test_rebuild_repairs_what_a_bulk_load_left_out(world: Any) -> None:
    cycle = fc.cycle()
    reg = fc.registration(cycle, world.collective)
    Registration.objects.filter(pk=reg.pk).update(status=RegistrationStatus.ACCEPTED)
    assert _kept() != _recounted()  # a bulk write outside the services
    call_command("rebuild_registration_counts")
    assert _kept() == _recounted()
    RegistrationCount.objects.all().delete()
    call_command("rebuild_registration_counts", "--cycle", cycle.code)
    assert _kept() == _recounted()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_filings_in_one_body_recount_one_after_the_other() -> None:
    body = f.body()
    cycle = fc.cycle()
    collectives = [f.collective(body, members=0) for _ in range(12)]
    barrier = threading.Barrier(len(collectives))
    errors: list[str] = []

    def file(collective: Any) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                fc.registration(cycle, collective)
                time.sleep(0.05)  # the others file while this one has not committed
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(c,)) for c in collectives]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert counts.per_status(cycle.pk, [body.pk]) == {RegistrationStatus.SUBMITTED: 12}
    assert _kept() == _recounted()
