"""A whole cycle end to end through API v1: the first half (registration to scoring
aggregated, tests/lifecycle.py) and the awards half (tests/lifecycle_awards_api.py): ranking,
freeze, inspection, notice, an objection upheld and a reserve moved up, the decision with its
certificates, a provincial nomination granted."""

from __future__ import annotations

from typing import Any

from qnwmh.awards.models import Certificate, EntryStatus, ShortlistEntry
from qnwmh.collectives.models import Title
from tests import lifecycle
from tests.lifecycle_awards_api import awards_through_api


def test_a_whole_cycle_through_the_api(world: Any) -> None:
    run = lifecycle.through_api(lifecycle.cast(world))
    done = awards_through_api(run)

    assert done.removed.status == EntryStatus.REMOVED
    assert done.moved_up.status == EntryStatus.DECIDED and done.moved_up.moved_up_at
    entries = ShortlistEntry.objects.filter(shortlist__code=done.shortlist)
    assert entries.filter(status=EntryStatus.DECIDED).count() == 2
    titles = Title.objects.filter(collective__in=run.cast.collectives)
    assert sorted(titles.values_list("level", flat=True)) == ["city", "city", "provincial"]
    certs = Certificate.objects.filter(title__in=done.city_titles)
    assert sorted(certs.values_list("number", flat=True)) == sorted(done.certificates)
