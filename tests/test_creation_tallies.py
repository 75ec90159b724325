"""Compliance tallies: kept by every change to an entry, equal to a recount from the log, and
the city's per-body summary built from them agrees with each collective's own compliance."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from qnwmh.creation import services
from qnwmh.creation.models import CreationTally
from qnwmh.creation.selectors import body_summaries, compliance_for, creating_collectives
from qnwmh.creation.tallies import month_key, rebuild
from tests import creation_helpers as ch
from tests import factories as f

TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)


@pytest.fixture
def cy(world: Any) -> Any:
    cycle = ch.cycle()
    ch.register(world.collective, cycle)
    assert cycle.registration_opens_on <= LAST_MONTH  # the cycle spans last month
    return cycle


def tallies() -> dict[tuple[int, int], tuple[int, dict[str, int]]]:
    """Every tally that counts something, as (required, open weeks by month)."""
    return {
        (t.collective_id, t.cycle_id): (t.required, t.open_weeks)
        for t in CreationTally.objects.all()
        if t.required or t.open_weeks
    }


def assert_equals_a_recount() -> None:
    kept = tallies()
    rebuild()
    assert tallies() == kept


def test_tally_follows_create_attach_and_correct(world: Any, cy: Any):
    key = (world.collective.pk, cy.pk)
    week = ch.entry(world, cy, kind="open_week", on=LAST_MONTH, n_photos=1)
    drill = ch.entry(world, cy, kind="job_drill", n_photos=0)  # no evidence: not counted
    ch.entry(world, cy, kind="meeting", n_photos=1)  # not a required kind
    assert tallies()[key] == (1, {month_key(LAST_MONTH): 1})
    assert_equals_a_recount()

    services.entry_attach(world.actor("manager"), entry=drill, files=ch.photos(1))
    assert tallies()[key] == (2, {month_key(LAST_MONTH): 1})
    assert_equals_a_recount()

    values = {
        "kind": "meeting",
        "title": week.title,
        "occurred_on": week.occurred_on,
        "ends_on": None,
        "place": week.place,
        "participants": week.participants,
        "description": week.description,
        "public": False,
    }
    services.entry_correct(world.actor("manager"), entry=week, values=values, reason="类别有误")
    assert tallies()[key] == (1, {})
    assert_equals_a_recount()


def test_failed_change_leaves_the_tally_alone(world: Any, cy: Any):
    ch.entry(world, cy, kind="open_week", on=LAST_MONTH, n_photos=1)
    before = tallies()
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is the rollback
        ch.entry(world, cy, kind="job_drill", on=TODAY + datetime.timedelta(days=400))
    assert tallies() == before


def test_rebuild_command_restores_the_tallies(world: Any, cy: Any):
    ch.entry(world, cy, kind="open_week", on=LAST_MONTH, n_photos=2)
    kept = tallies()
    CreationTally.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_tallies", "--cycle", cy.code, stdout=out)
    assert out.getvalue() == "1 tallies rebuilt\n"
    assert tallies() == kept
    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--cycle", "NOSUCHCYCLE")


def test_city_summary_agrees_with_each_collectives_compliance(world: Any, cy: Any):
    city = world.actor("city_admin")
    # In world.body: the titled, registered collective (kept last month), a titled one that
    # missed last month, a registered one without any required activity.
    ch.entry(world, cy, kind="open_week", on=LAST_MONTH, n_photos=1)
    missed = f.collective(world.body, members=8)
    f.title(missed)
    ch.entry(world, cy, collective=missed, role="city_admin", kind="meeting", on=LAST_MONTH)
    idle = f.collective(world.body, members=8)
    ch.register(idle, cy)
    # In the other body: registered with its required activity, titled too; and a collective
    # that is neither titled nor registered (not creating: not counted anywhere).
    ch.register(world.other_collective, cy)
    f.title(world.other_collective)
    ch.entry(world, cy, collective=world.other_collective, role="city_admin", kind="job_drill")
    f.collective(world.other_body, members=8)

    expected: dict[int, tuple[int, ...]] = {}
    last = LAST_MONTH.replace(day=1)
    for row in compliance_for(list(creating_collectives(city, cy)), cy):
        month = {m.month: m.status for m in row.months}.get(last)
        counts = expected.get(row.collective.body_id, (0, 0, 0, 0, 0))
        expected[row.collective.body_id] = tuple(
            a + int(b)
            for a, b in zip(
                counts,
                (
                    True,
                    row.registered,
                    row.registered and row.required_ok,
                    row.titled,
                    row.titled and month != "ok",
                ),
                strict=True,
            )
        )
    got = {
        s.body.pk: (s.total, s.registered, s.required_ok, s.titled, s.titled_missing_last_month)
        for s in body_summaries(city, cy)
    }
    assert got == expected
    assert got[world.body.pk] == (3, 2, 1, 2, 1)
    assert got[world.other_body.pk] == (1, 1, 1, 1, 1)


def _parallel_corrections(n: int) -> tuple[int, list[str]]:
    """n meetings (with photos) of one collective are corrected into drills at the same moment
    by n staff; returns the tally's required count and any errors. Corrections lock only their
    own entry, so nothing but the tally's collective lock orders them."""
    import threading

    from django.db import connection

    from qnwmh.core.actor import Role

    body = f.body()
    collective = f.collective(body, members=8)
    actor = f.actor(f.user(role=Role.BODY_ADMIN, organisation=body))
    cycle = ch.cycle()
    ch.register(collective, cycle)
    values = {
        "kind": "meeting",
        "title": "会议",
        "occurred_on": TODAY,
        "ends_on": None,
        "place": "会议室",
        "participants": 10,
        "description": "",
        "public": False,
    }
    entries = [
        services.entry_create(
            actor, collective=collective, cycle=cycle, values=values, files=ch.photos(1, seed=i)
        )
        for i in range(n)
    ]
    barrier = threading.Barrier(n)
    errors: list[str] = []

    def correct(entry: Any) -> None:
        try:
            barrier.wait()
            services.entry_correct(
                actor, entry=entry, values={**values, "kind": "job_drill"}, reason="其实是练兵"
            )
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=correct, args=(e,)) for e in entries]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return CreationTally.objects.get(collective=collective, cycle=cycle).required, errors


def _slow_count(monkeypatch: Any) -> None:
    """Widen the window between counting and writing, as a slow database would."""
    import time

    from qnwmh.creation import tallies

    real = tallies.count

    def slow(collective_id: int, cycle_id: int) -> tuple[int, dict[str, int]]:
        counted = real(collective_id, cycle_id)
        time.sleep(0.05)
        return counted

    monkeypatch.setattr(tallies, "count", slow)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_corrections_of_one_collective_are_all_counted(monkeypatch: Any) -> None:
    _slow_count(monkeypatch)
    required, errors = _parallel_corrections(20)
    assert errors == []
    assert required == 20
    assert_equals_a_recount()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_collective_lock_loses_counts(monkeypatch: Any) -> None:
    from qnwmh.creation import tallies

    _slow_count(monkeypatch)
    monkeypatch.setattr(tallies, "lock", lambda model, pk: None)
    required, errors = _parallel_corrections(20)
    assert errors == []
    assert required < 20, required  # each transaction counted before the others committed
