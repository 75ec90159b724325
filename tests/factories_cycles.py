"""Builders for cycles, quotas and registrations (kept apart from factories.py to ease merges)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import system_actor
from qnwmh.cycles.models import Cycle, Phase, Quota, Registration, RegistrationStatus
from qnwmh.orgs.models import Organisation
from qnwmh.programme.models import ProgrammeRules

_seq = itertools.count(1)


def cycle(
    *,
    session_no: int | None = None,
    phase: str = Phase.REGISTRATION_OPEN,
    published: bool = True,
    year: int = 2027,
) -> Cycle:
    """A cycle whose registration window contains today (dates relative to today)."""
    today = timezone.localdate()
    c = Cycle.objects.create(
        session_no=session_no or 100 + next(_seq),
        registration_year=year,
        certification_year=year + 1,
        phase=phase,
        registration_opens_on=today - datetime.timedelta(days=10),
        registration_closes_on=today + datetime.timedelta(days=20),
        creation_ends_on=today + datetime.timedelta(days=200),
        certification_starts_on=today + datetime.timedelta(days=210),
        certification_ends_on=today + datetime.timedelta(days=260),
        rules_snapshot=ProgrammeRules.current().as_dict() if phase != Phase.DRAFT else {},
        opened_at=timezone.now() if phase != Phase.DRAFT else None,
        quotas_published_at=timezone.now() if published else None,
    )
    return c


def quota(c: Cycle, body: Organisation, n: int = 3) -> Quota:
    return Quota.objects.create(
        cycle=c, body=body, base_kind="titles_held", base_value=n, computed=n
    )


def values(**over: Any) -> dict[str, Any]:
    v = {
        "plan_summary": "以岗位练兵和开放周为载体，提升窗口服务质量。",
        "leader_name": "张敏",
        "leader_phone": "13800000000",
        "leading_group": "张敏 号长\n李强 副主任",
        "pledge": "热情服务，接受监督。",
    }
    v.update(over)
    return v


def registration(
    c: Cycle, collective: Collective, status: str = RegistrationStatus.SUBMITTED, **over: Any
) -> Registration:
    n = next(_seq)
    return Registration.objects.create(
        cycle=c,
        collective=collective,
        body=collective.body,
        town=collective.town,
        ownership=collective.ownership,
        number=f"{c.session_no}-T{n:05d}",
        status=status,
        eligibility="met",
        **values(**over),
    )


__all__ = ["system_actor"]
