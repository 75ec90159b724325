"""Builders for exchange events, through the services (as the city unless told)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from qnwmh.exchange import services
from qnwmh.exchange.models import Event, EventKind, EventStatus


def city(w: Any) -> Any:
    return w.actor("city_admin")


def event(
    w: Any,
    *,
    status: str = EventStatus.DRAFT,
    capacity: int | None = None,
    bodies: list[Any] | None = None,
    collectives: list[Any] | None = None,
    days_ago: int = 0,
    kind: str = EventKind.EXHIBITION,
    closes: datetime.date | None = None,
    title: str = "青年文明号创建成果展示会",
) -> Event:
    """An exhibition (or meeting) by the city inviting ``bodies`` (default: the world's body),
    held today (registration closes once the day has passed)."""
    actor = city(w)
    e = services.event_create(
        actor,
        kind=kind,
        title=title,
        organiser=w.city,
        held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        place="青少年活动中心",
        capacity=capacity,
        registration_closes_on=closes,
        invited_bodies=[w.body] if bodies is None and collectives is None else bodies or [],
        invited_collectives=collectives or [],
    )
    if status in (EventStatus.OPEN, EventStatus.HELD):
        services.event_open(actor, e)
    if status == EventStatus.HELD:
        services.event_hold(actor, e)
    e.refresh_from_db()
    return e


def mutual_visit(w: Any, *, status: str = EventStatus.DRAFT, days_ago: int = 1) -> Event:
    """The world's collective hosts the outsider body's collective."""
    actor = city(w)
    e = services.event_create(
        actor,
        kind=EventKind.MUTUAL_VISIT,
        title="互访互学",
        organiser=w.city,
        held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        place="便民服务中心",
        host=w.collective,
        guest=w.other_collective,
    )
    if status in (EventStatus.OPEN, EventStatus.HELD):
        services.event_open(actor, e)
    if status == EventStatus.HELD:
        services.event_hold(actor, e)
    e.refresh_from_db()
    return e


def full_scores(points: int = 4) -> dict[str, tuple[int, str]]:
    from qnwmh.exchange.models import AppraisalItem

    return {i.key: (points, "值得学习") for i in AppraisalItem.objects.filter(active=True)}


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
