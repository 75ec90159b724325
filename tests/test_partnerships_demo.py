"""The partnerships demo builder on a small world: a confirmed joint project of two titled
collectives with a milestone done, and a confirmed pair whose activity is in both logs."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Role
from qnwmh.core.demo_context import DemoContext
from qnwmh.creation.models import EntryKind, LogEntry
from qnwmh.partnerships import demo
from qnwmh.partnerships.models import JointCreation, MentorPair, Status
from tests import factories as f
from tests import factories_partnerships as fp


def test_demo_builds_a_project_and_a_pair_with_an_activity(world: Any) -> None:
    fp.titled_partner(world)
    mentee = fp.mentee(world)
    ctx = DemoContext()
    ctx.users["city_admin"] = world.users["city_admin"]
    ctx.users["shiqi_admin"] = world.users["body_admin"]
    demo.build(ctx)

    (project,) = JointCreation.objects.all()
    assert project.status == Status.ACTIVE
    assert project.proposed_by == world.users["body_admin"]  # a body proposes
    assert project.partners.count() == 2
    assert project.milestones.exclude(done_on=None).count() == 1

    (pair,) = MentorPair.objects.all()
    assert pair.status == Status.ACTIVE and pair.mentee == mentee
    (activity,) = pair.activities.all()
    assert activity.logged == 2 and activity.photos.count() == 1
    logged = LogEntry.objects.filter(origin=f"partnerships.pairactivity:{activity.code}")
    assert {e.collective_id for e in logged} == {pair.mentor_id, mentee.pk}
    assert {e.kind for e in logged} == {EntryKind.EXCHANGE_VISIT}


def test_demo_without_titled_collectives_builds_nothing(world: Any) -> None:
    world.title.delete()
    ctx = DemoContext()
    ctx.users["city_admin"] = f.user(None, Role.CITY_ADMIN, organisation=f.city())
    demo.build(ctx)
    assert not JointCreation.objects.exists() and not MentorPair.objects.exists()
