"""The notice part's demo on a frozen shortlist: one collective failed inspection and was
replaced by the body's next reserve on a supplementary notice; both notices have ended; two
objections were decided, one upheld (that collective removed), one not; and without a
shortlist the builder does nothing."""

from __future__ import annotations

import pytest

from qnwmh.awards.demo import notice as demo
from qnwmh.awards.models import (
    EntryStatus,
    InspectionOutcome,
    Objection,
    ObjectionOutcome,
    ObjectionStatus,
    PublicNotice,
    RemovalKind,
)
from qnwmh.core.demo_context import DemoContext
from tests import factories as f
from tests import factories_awards as fa

pytestmark = pytest.mark.django_db


def test_the_demo_builds_inspections_notices_and_decided_objections() -> None:
    r, _apps = fa.scored_round([f.body(), f.body()], per_body=8)
    s = fa.shortlist(r)
    ctx = DemoContext(users={"city_admin": s.frozen_by}, extra={"awards_shortlist": s})
    demo.build(ctx)

    failed = s.entries.get(inspection__outcome=InspectionOutcome.FAILED)
    assert failed.status == EntryStatus.REMOVED and failed.removal_kind == RemovalKind.INSPECTION
    moved = s.entries.get(moved_up_at__isnull=False)
    assert moved.body_id == failed.body_id and moved.inspection.outcome == InspectionOutcome.PASSED

    notices = list(PublicNotice.objects.filter(shortlist=s).order_by("opens_on"))
    assert [n.supplementary for n in notices] == [False, True]
    assert all(n.state() == "ended" for n in notices)
    assert [i.entry_id for i in notices[1].items.all()] == [moved.pk]

    objections = Objection.objects.filter(item__notice=notices[0])
    assert {o.status for o in objections} == {ObjectionStatus.DECIDED}
    upheld = objections.get(outcome=ObjectionOutcome.UPHELD)
    assert upheld.item.entry.status == EntryStatus.REMOVED
    kept = objections.get(outcome=ObjectionOutcome.NOT_UPHELD)
    assert kept.item.entry.status == EntryStatus.LISTED and kept.public_reason


def test_without_a_shortlist_the_demo_does_nothing() -> None:
    demo.build(DemoContext())
    assert not PublicNotice.objects.exists()
