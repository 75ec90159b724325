"""A whole cycle end to end — registration, creation records, application, test, scoring
(tests/lifecycle.py), then ranking, inspection, notice with an upheld objection, decision,
certificates, a nomination and the provincial title (tests/lifecycle_awards_*.py) — once
through the pages and once through the API, six collectives over two bodies."""

from __future__ import annotations

from typing import Any

from qnwmh.awards.models import Certificate, EntryStatus, ShortlistEntry
from qnwmh.certification.models import ApplicationResult, ApplicationStatus
from qnwmh.collectives.models import Title
from qnwmh.creation.models import LogEntry
from qnwmh.cycles.models import Phase, Registration, RegistrationStatus
from qnwmh.evidence.models import EvidenceFile
from qnwmh.knowledge.models import Attempt
from tests import lifecycle
from tests.lifecycle_awards_api import awards_through_api
from tests.lifecycle_awards_pages import awards_through_pages


def _assert_scored(run: lifecycle.Run) -> None:
    assert run.cycle.phase == Phase.CERTIFICATION and run.round.status == "closed"
    assert len(run.applications) == 6
    assert {a.body_id for a in run.applications} == {b.pk for b in run.cast.bodies}
    filed = Registration.objects.filter(cycle=run.cycle, status=RegistrationStatus.FILED)
    assert filed.count() == 6
    results = {
        r.application_id: r for r in ApplicationResult.objects.filter(application__round=run.round)
    }
    for app in run.applications:
        app.refresh_from_db()
        assert app.status == ApplicationStatus.RECOMMENDED
        result = results[app.pk]
        assert (result.site_sheets, result.defence_sheets) == (3, 3)
        assert result.combined == run.expected_combined(app), app.collective.name
        attempt = Attempt.objects.get(exam=run.round.exam, collective=app.collective)
        assert attempt.passed is True and attempt.score == 100
        entries = LogEntry.objects.filter(collective=app.collective, cycle=run.cycle)
        assert sorted(entries.values_list("kind", "evidence_count")) == [
            ("job_drill", 1),
            ("open_week", 1),
        ]
        photos = EvidenceFile.objects.filter(pk__in=entries.values("attachments"))
        assert {p.content_type for p in photos} == {"image/jpeg"}
    combined = [results[a.pk].combined for a in run.applications]
    assert len(set(combined)) == 6  # different scores, so a cut has something to cut


def test_a_cycle_through_the_pages(world: Any) -> None:
    run = lifecycle.through_pages(lifecycle.cast(world))
    run.round.refresh_from_db()
    run.cycle.refresh_from_db()
    _assert_scored(run)
    awarded = awards_through_pages(run)
    assert len(awarded.titles) == len(awarded.certificates) == 2
    assert awarded.provincial.collective_id == awarded.titles[0].collective_id


def test_a_cycle_through_the_api(world: Any) -> None:
    run = lifecycle.through_api(lifecycle.cast(world))
    run.round.refresh_from_db()
    run.cycle.refresh_from_db()
    _assert_scored(run)
    done = awards_through_api(run)
    assert done.removed.status == EntryStatus.REMOVED
    assert done.moved_up.status == EntryStatus.DECIDED and done.moved_up.moved_up_at
    entries = ShortlistEntry.objects.filter(shortlist__code=done.shortlist)
    assert entries.filter(status=EntryStatus.DECIDED).count() == 2
    titles = Title.objects.filter(collective__in=run.cast.collectives)
    assert sorted(titles.values_list("level", flat=True)) == ["city", "city", "provincial"]
    certs = Certificate.objects.filter(title__in=done.city_titles)
    assert sorted(certs.values_list("number", flat=True)) == sorted(done.certificates)
