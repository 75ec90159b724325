"""What the home page asks of each role about the current cycle."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Task
from qnwmh.cycles import counts as registration_counts
from qnwmh.cycles.models import (
    BodySubmission,
    Cycle,
    Phase,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.selectors import (
    current_cycle,
    fileable_collectives,
    registrations_visible_to,
)


def _status_counts(actor: Actor, cycle: Cycle) -> dict[str, int]:
    """``submitted`` and ``returned`` in the actor's scope: the kept counts of its bodies for
    staff of bodies (the city's figures are on the cycle page, not here), its collectives'
    own registrations for a manager."""
    if actor.is_body_admin:
        got = registration_counts.per_status(cycle.pk, actor.body_ids)
        return {s: got.get(s, 0) for s in ("submitted", "returned")}
    if actor.is_collective_manager and not actor.is_staff_of_body:
        return (
            registrations_visible_to(actor)
            .filter(cycle=cycle)
            .aggregate(
                submitted=Count("id", filter=Q(status=RegistrationStatus.SUBMITTED)),
                returned=Count("id", filter=Q(status=RegistrationStatus.RETURNED)),
            )
        )
    return {"submitted": 0, "returned": 0}


def tasks(actor: Actor) -> list[Task]:
    if not (actor.is_staff_of_body or actor.is_collective_manager):
        return []
    cycle = current_cycle(actor)
    if cycle is None:
        return []
    regs_url = reverse("cycles:registrations", args=[cycle.code])
    out = [
        Task(
            title=str(cycle),
            detail=_("当前阶段：%(p)s；报备截止 %(d)s")
            % {"p": cycle.get_phase_display(), "d": cycle.registration_closes_on.isoformat()},
            url=reverse("cycles:detail", args=[cycle.code]),
        )
    ]
    counts = _status_counts(actor, cycle)
    if actor.is_body_admin:
        out.append(
            Task(
                title=_("待初评的报备"),
                count=counts["submitted"],
                url=f"{regs_url}?status=submitted",
                tone="warn" if counts["submitted"] else "ok",
            )
        )
    if actor.is_collective_manager and not actor.is_staff_of_body:
        # Until each collective the manager runs has a live registration in the cycle.
        if cycle.phase == Phase.REGISTRATION_OPEN and fileable_collectives(actor, cycle).exists():
            out.append(
                Task(
                    title=_("提交报备"),
                    detail=_("报备窗口已开启，请按时提交。"),
                    url=reverse("cycles:registration_create", args=[cycle.code]),
                )
            )
        if counts["returned"]:
            out.append(
                Task(
                    title=_("被退回修改的报备"),
                    count=counts["returned"],
                    url=f"{regs_url}?status=returned",
                    tone="warn",
                )
            )
    if actor.is_city_admin:
        waiting = BodySubmission.objects.filter(
            cycle=cycle, status=SubmissionStatus.SUBMITTED
        ).count()
        out.append(
            Task(
                title=_("待审核的报送名单"),
                count=waiting,
                url=reverse("cycles:submissions", args=[cycle.code]),
                tone="warn" if waiting else "ok",
            )
        )
    return out
