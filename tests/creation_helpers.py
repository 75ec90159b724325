"""Builders for creation tests: a cycle around today, a registration, entries with photos."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from qnwmh.creation import services
from qnwmh.creation.models import LogEntry
from qnwmh.cycles.models import Cycle, Phase, Registration, RegistrationStatus
from tests import evidence_files as ef

_seq = itertools.count(1)


def cycle(today: datetime.date | None = None, phase: str = Phase.CREATION) -> Cycle:
    today = today or timezone.localdate()
    reg = today.year if today.year % 2 else today.year - 1
    existing = Cycle.objects.filter(registration_year=reg).first()
    if existing:
        return existing
    return Cycle.objects.create(
        session_no=reg - 2000,
        registration_year=reg,
        certification_year=reg + 1,
        phase=phase,
        registration_opens_on=datetime.date(reg, 1, 1),
        registration_closes_on=datetime.date(reg, 3, 31),
        creation_ends_on=datetime.date(reg + 1, 4, 30),
        certification_starts_on=datetime.date(reg + 1, 5, 1),
        certification_ends_on=datetime.date(reg + 1, 12, 31),
    )


def register(collective: Any, cy: Cycle, status: str = RegistrationStatus.FILED) -> Registration:
    return Registration.objects.create(
        cycle=cy,
        number=f"T{next(_seq):06d}",
        collective=collective,
        body=collective.body,
        town=collective.town,
        ownership=collective.ownership,
        status=status,
        plan_summary="计划",
        leader_name="号长",
        leading_group="张三 组长",
        pledge="承诺",
    )


def photos(n: int = 1, seed: int = 0) -> list[Any]:
    return [
        ef.upload(f"photo{i}.jpg", ef.jpeg(color=(seed % 255, i * 40 % 255, 99))) for i in range(n)
    ]


def entry(
    world: Any,
    cy: Cycle,
    *,
    kind: str = "open_week",
    on: datetime.date | None = None,
    n_photos: int = 1,
    collective: Any = None,
    role: str = "manager",
    **extra: Any,
) -> LogEntry:
    values = {
        "kind": kind,
        "title": extra.pop("title", "青年开放周"),
        "occurred_on": on or timezone.localdate(),
        "ends_on": None,
        "place": "服务大厅",
        "participants": 12,
        "description": "开放体验",
        "public": True,
        **extra,
    }
    return services.entry_create(
        world.actor(role),
        collective=collective or world.collective,
        cycle=cy,
        values=values,
        files=photos(n_photos, next(_seq)),
    )


def setup(world: Any) -> dict[str, Any]:
    """Idempotent: a cycle, the world's collective registered, one open week with a photo."""
    cy = cycle()
    if not Registration.objects.filter(collective=world.collective, cycle=cy).exists():
        register(world.collective, cy)
    e = LogEntry.objects.filter(collective=world.collective).first() or entry(world, cy)
    if not world.collective.creation_plans.exists():
        services.plan_save(
            world.actor("manager"),
            collective=world.collective,
            cycle=cy,
            values={"goals": "争创市级青年文明号", "slogan": "青春服务"},
        )
    return {"cycle": cy, "entry": e}
