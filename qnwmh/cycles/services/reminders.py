"""Reminders to bodies with registrations still unreviewed before registration closes."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor
from qnwmh.cycles.models import (
    Cycle,
    Phase,
    Registration,
    RegistrationStatus,
)
from qnwmh.cycles.notices import cycle_msg
from qnwmh.notices.services import body_admins, notify


def send_review_reminders(actor: Actor, *, days: int, today: datetime.date | None = None) -> int:
    """Remind bodies with unreviewed registrations when registration closes within ``days``.
    Returns the number of bodies reminded; one audit entry per run that reminded anyone."""
    today = today or timezone.localdate()
    reminded = 0
    for cycle in Cycle.objects.filter(
        phase=Phase.REGISTRATION_OPEN,
        registration_closes_on__gte=today,
        registration_closes_on__lte=today + datetime.timedelta(days=days),
    ):
        pending = (
            Registration.objects.filter(cycle=cycle, status=RegistrationStatus.SUBMITTED)
            .values("body_id")
            .annotate(n=Count("id"))
            .order_by("body_id")
        )
        with transaction.atomic():
            bodies = []
            for row in pending:
                notify(
                    body_admins(row["body_id"]),
                    link=reverse("cycles:registrations", args=[cycle.code]) + "?status=submitted",
                    code="cycles.registration.reminder",
                    params={
                        "cycle": cycle_msg(cycle),
                        "d": cycle.registration_closes_on.isoformat(),
                        "n": row["n"],
                    },
                )
                bodies.append(row["body_id"])
            if bodies:
                log_action(actor, cycle, "cycles.registration.reminded", data={"bodies": bodies})
        reminded += len(bodies)
    return reminded
