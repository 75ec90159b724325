"""Defence sessions (集中答辩): a panel's session with its venue and time, the recommended
applications of the panel's area, and the presentation order drawn by lot.

The draw is reproducible: the applications' codes sorted ascending, shuffled by Python's
``random.Random(seed).shuffle``; the seed is recorded and the session page shows how to
re-run it."""

from __future__ import annotations

import datetime
import random
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.certification.models import (
    Application,
    ApplicationStatus,
    DefenceSession,
    DefenceSlot,
    Panel,
    RoundStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require


def drawn_order(seed: int, codes: list[str]) -> list[str]:
    """The presentation order for ``seed``: what anyone can re-run to check the draw."""
    order = sorted(codes)
    random.Random(seed).shuffle(order)
    return order


def unscheduled(panel: Panel) -> list[Application]:
    """Recommended applications of the panel's area without a defence slot yet."""
    return list(
        Application.objects.filter(
            round_id=panel.round_id,
            area_id=panel.area_id,
            status=ApplicationStatus.RECOMMENDED,
            defence_slot__isnull=True,
        ).order_by("code")
    )


def create_session(
    actor: Actor, *, panel: Panel, starts_at: datetime.datetime, venue: str
) -> DefenceSession:
    """Schedule a panel's session; every recommended application of its area not yet in a
    session takes part."""
    require(actor, "certification.manage_defence")
    venue = venue.strip()
    if not venue:
        raise DomainError(_("请填写答辩地点。"), field="venue")
    with transaction.atomic():
        lock(Panel, panel.pk)
        if panel.round.status == RoundStatus.CLOSED:
            raise DomainError(_("评分已截止，不能再安排答辩。"))
        apps = unscheduled(panel)
        if not apps:
            raise DomainError(_("该片区没有待安排答辩的已推荐申报。"))
        session = DefenceSession.objects.create(
            round_id=panel.round_id, panel=panel, starts_at=starts_at, venue=venue
        )
        DefenceSlot.objects.bulk_create(DefenceSlot(session=session, application=a) for a in apps)
        log_action(
            actor,
            session,
            "certification.defence.scheduled",
            data={"venue": venue, "starts_at": starts_at.isoformat(), "applications": len(apps)},
        )
    return session


def draw_session(
    actor: Actor, *, session: DefenceSession, seed: int | None = None
) -> DefenceSession:
    """Draw the presentation order by lot, once; the seed is kept."""
    require(actor, "certification.manage_defence")
    with transaction.atomic():
        session = lock(DefenceSession, session.pk)
        if session.drawn_at is not None:
            raise DomainError(_("该场次已抽签，顺序不能重抽。"))
        seed = secrets.randbits(48) if seed is None else seed
        slots = {s.application.code: s for s in session.slots.select_related("application")}
        for n, code in enumerate(drawn_order(seed, list(slots)), start=1):
            slots[code].order = n
        DefenceSlot.objects.bulk_update(slots.values(), ["order"])
        session.seed = seed
        session.drawn_at = timezone.now()
        session.drawn_by = actor.user
        session.save(update_fields=["seed", "drawn_at", "drawn_by"])
        log_action(
            actor, session, "certification.defence.drawn", data={"seed": seed, "slots": len(slots)}
        )
    return session
