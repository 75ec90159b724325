"""The supervision demo gives complaints in every status, some overdue and escalated."""

from __future__ import annotations

from qnwmh.core.demo_context import DemoContext
from qnwmh.supervision import demo
from qnwmh.supervision.models import Complaint, Holiday, Rating, Status


def test_demo_has_every_status_and_overdue_cases(world):
    ctx = DemoContext(seed=7)
    ctx.users["city_admin"] = world.users["city_admin"]
    ctx.collectives = [world.collective, world.other_collective]
    demo.build(ctx)
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    assert Complaint.objects.overdue().exists()
    assert Complaint.objects.filter(escalation_level__gt=0).exists()
    assert Complaint.objects.filter(city_review=True, status=Status.INVESTIGATING).exists()
    assert Complaint.objects.filter(text_hidden=True).exists()
    assert Rating.objects.count() == 300 and Holiday.objects.filter(is_workday=True).exists()
