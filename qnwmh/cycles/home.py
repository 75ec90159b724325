"""What the home page asks of each role about the current cycle."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks
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


def _status_counts(actor: Actor, cycle: Cycle) -> Tally | None:
    """``submitted`` and ``returned`` in the actor's scope: the kept counts of its bodies for
    staff of bodies (the city's figures are on the cycle page, not here), its collectives'
    own registrations for a manager; None when the actor sees neither."""
    if actor.is_body_admin:
        kept = registration_counts.counts(cycle.pk, body_id__in=list(actor.body_ids))
        return Tally.aggregate(
            kept,
            submitted=Sum("n", filter=Q(status=RegistrationStatus.SUBMITTED)),
            returned=Sum("n", filter=Q(status=RegistrationStatus.RETURNED)),
        )
    if actor.is_collective_manager and not actor.is_staff_of_body:
        return Tally.aggregate(
            registrations_visible_to(actor).filter(cycle=cycle),
            submitted=Count("id", filter=Q(status=RegistrationStatus.SUBMITTED)),
            returned=Count("id", filter=Q(status=RegistrationStatus.RETURNED)),
        )
    return None


def tasks(actor: Actor) -> Tasks:
    if not (actor.is_staff_of_body or actor.is_collective_manager):
        return
    cycle = current_cycle(actor)
    if cycle is None:
        return
    regs_url = reverse("cycles:registrations", args=[cycle.code])
    yield Task(
        title=str(cycle),
        detail=_("当前阶段：%(p)s；报备截止 %(d)s")
        % {"p": cycle.get_phase_display(), "d": cycle.registration_closes_on.isoformat()},
        url=reverse("cycles:detail", args=[cycle.code]),
    )
    manager = actor.is_collective_manager and not actor.is_staff_of_body
    asked: dict[str, Tally] = {}
    status = _status_counts(actor, cycle)
    if status is not None:
        asked["status"] = status
    if manager and cycle.phase == Phase.REGISTRATION_OPEN:
        # Until each collective the manager runs has a live registration in the cycle.
        asked["fileable"] = Tally.exists(fileable_collectives(actor, cycle))
    if actor.is_city_admin:
        asked["waiting"] = Tally.count(
            BodySubmission.objects.filter(cycle=cycle, status=SubmissionStatus.SUBMITTED)
        )
    got = dict(zip(asked, (yield tuple(asked.values())), strict=True)) if asked else {}
    counts = {k: v or 0 for k, v in got.get("status", {}).items()}
    if actor.is_body_admin:
        submitted = counts.get("submitted", 0)
        yield Task(
            title=_("待初评的报备"),
            count=submitted,
            url=f"{regs_url}?status=submitted",
            tone="warn" if submitted else "ok",
        )
    if manager:
        if got.get("fileable"):
            yield Task(
                title=_("提交报备"),
                detail=_("报备窗口已开启，请按时提交。"),
                url=reverse("cycles:registration_create", args=[cycle.code]),
            )
        if counts.get("returned"):
            yield Task(
                title=_("被退回修改的报备"),
                count=counts["returned"],
                url=f"{regs_url}?status=returned",
                tone="warn",
            )
    if actor.is_city_admin:
        waiting = got["waiting"]
        yield Task(
            title=_("待审核的报送名单"),
            count=waiting,
            url=reverse("cycles:submissions", args=[cycle.code]),
            tone="warn" if waiting else "ok",
        )
