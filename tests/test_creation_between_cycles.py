"""A titled collective's monthly open-week duty does not depend on a cycle (issue 10, item 16):
entries dated between two cycles are accepted, counted, and a month without one is a gap."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qnwmh.core.errors import DomainError
from qnwmh.creation.models import CreationTally, LogEntry
from qnwmh.creation.selectors import body_summaries, collective_compliance, record_cycle
from qnwmh.cycles.models import Cycle, Phase
from qnwmh.programme.models import ProgrammeRules
from tests import creation_helpers as ch

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


def months_ago(n: int) -> datetime.date:
    d = TODAY.replace(day=15)
    for _ in range(n):
        d = (d.replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    return d


def _cycle(session_no: int, opens: datetime.date, ends: datetime.date, phase: str) -> Cycle:
    return Cycle.objects.create(
        session_no=session_no,
        registration_year=2025 + 2 * (session_no - 50),
        certification_year=2026 + 2 * (session_no - 50),
        phase=phase,
        registration_opens_on=opens,
        registration_closes_on=opens + datetime.timedelta(days=60),
        creation_ends_on=ends - datetime.timedelta(days=60),
        certification_starts_on=ends - datetime.timedelta(days=59),
        certification_ends_on=ends,
        rules_snapshot=ProgrammeRules.current().as_dict(),
        opened_at=timezone.now(),
    )


@pytest.fixture
def ended(world: Any) -> Cycle:
    """A cycle that ended five months ago and is closed; no later cycle has opened yet."""
    return _cycle(50, months_ago(20).replace(day=1), months_ago(5).replace(day=1), Phase.CLOSED)


def test_open_week_between_cycles_is_accepted_for_a_titled_collective(world: Any, ended: Any):
    gap_day = months_ago(2)
    entry = ch.entry(world, ended, on=gap_day)
    assert entry.cycle == ended
    assert CreationTally.objects.get(collective=world.collective, cycle=ended).open_weeks == {
        f"{gap_day:%Y-%m}": 1
    }
    # Other records a titled collective keeps are taken too, cycle closed or not.
    ch.entry(world, ended, kind="job_drill", on=months_ago(3))


def test_untitled_collective_is_still_bound_to_its_cycle(world: Any, ended: Any):
    ch.register(world.other_collective, ended)
    with pytest.raises(DomainError, match="不接受记录"):
        ch.entry(world, ended, collective=world.other_collective, role="outsider", on=TODAY)


def test_gap_entry_goes_to_the_cycle_its_date_falls_in(world: Any, ended: Any):
    later = _cycle(
        51,
        TODAY + datetime.timedelta(days=1),
        TODAY.replace(year=TODAY.year + 2),
        Phase.REGISTRATION_OPEN,
    )
    assert record_cycle(months_ago(2)) == ended
    assert record_cycle(later.registration_opens_on) == later
    # Recorded while looking at the new cycle, an entry dated in the gap is kept with the old.
    entry = ch.entry(world, later, on=months_ago(2))
    assert entry.cycle == ended
    # Once the next cycle opened, dates after that belong to it, not to the ended one.
    future = ch.entry(world, ended, on=later.registration_opens_on + datetime.timedelta(days=3))
    assert future.cycle == later


def test_titled_collective_without_an_open_week_in_a_gap_month_shows_a_gap(world: Any, ended: Any):
    ch.entry(world, ended, on=months_ago(2))
    cells = {m.key: m.status for m in collective_compliance(world.collective, ended).months}
    assert cells[f"{months_ago(2):%Y-%m}"] == "ok"
    assert cells[f"{months_ago(3):%Y-%m}"] == "missing"  # between the cycles, no open week
    assert cells[f"{months_ago(1):%Y-%m}"] == "missing"
    assert cells[f"{TODAY:%Y-%m}"] == "pending"
    page = (
        world.client("body_admin")
        .get(reverse("creation:compliance") + f"?cycle={ended.code}")
        .content.decode()
    )
    assert f"{months_ago(3):%Y-%m}" in page
    summary = body_summaries(world.actor("city_admin"), ended)
    assert [s.titled_missing_last_month for s in summary] == [1]


def test_rebuild_keeps_gap_months(world: Any, ended: Any):
    ch.entry(world, ended, on=months_ago(2))
    before = list(CreationTally.objects.values_list("collective_id", "cycle_id", "open_weeks"))
    CreationTally.objects.all().delete()
    call_command("rebuild_tallies")
    after = list(CreationTally.objects.values_list("collective_id", "cycle_id", "open_weeks"))
    assert before == after
    assert LogEntry.objects.count() == 1


def test_entry_form_takes_a_gap_month_open_week(world: Any, ended: Any):
    from qnwmh.creation.models import LogEntry as Entry
    from tests import evidence_files as ef

    response = world.client("manager").post(
        reverse("creation:entry_create", args=[world.collective.code]) + f"?cycle={ended.code}",
        {
            "kind": "open_week",
            "title": "九月开放周",
            "occurred_on": months_ago(2).isoformat(),
            "participants": 15,
            "public": "on",
            "attachments": [ef.upload("a.jpg", ef.jpeg())],
        },
    )
    assert response.status_code == 302
    assert Entry.objects.get(title="九月开放周").cycle == ended
