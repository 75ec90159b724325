"""The certification round of a cycle: created when the cycle enters its certification phase,
its windows edited by the city, and moved through ``ROUND_TRANSITIONS``. Closing applications
with unrecommended submissions, or scoring with unfinished score sheets, needs force and a
reason; the cycle cannot close while its round is under way (taking applications or in
review) unless forced (a phase veto)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    ROUND_TRANSITIONS,
    ApplicationStatus,
    Assignment,
    CertificationRound,
    ReviewArea,
    RoundStatus,
    ScoreSet,
    SheetStatus,
)
from qnwmh.certification.testing import ensure_exam, sync_exam_window
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.cycles import phases
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Phase, Registration
from qnwmh.cycles.notices import cycle_msg
from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify

# The windows in the order they must follow (an opening date never after its closing one).
WINDOW_FIELDS = (
    "applications_open_on",
    "applications_close_on",
    "test_opens_on",
    "test_closes_on",
    "site_from",
    "site_to",
    "defence_from",
    "defence_to",
    "scoring_closes_on",
)
_PAIRS = (
    ("applications_open_on", "applications_close_on"),
    ("test_opens_on", "test_closes_on"),
    ("site_from", "site_to"),
    ("defence_from", "defence_to"),
)


def round_url(r: CertificationRound) -> str:
    return reverse("certification:round", args=[r.code])


def default_windows(cycle: Cycle) -> dict[str, datetime.date]:
    """Windows spread over the cycle's certification dates: applications in the first
    quarter, the test overlapping them, then site visits, defences, and scoring to the end."""
    start, end = cycle.certification_starts_on, cycle.certification_ends_on
    span = max((end - start).days, 1)

    def at(fraction: float) -> datetime.date:
        return start + datetime.timedelta(days=int(span * fraction))

    return {
        "applications_open_on": start,
        "applications_close_on": at(0.25),
        "test_opens_on": at(0.05),
        "test_closes_on": at(0.35),
        "site_from": at(0.35),
        "site_to": at(0.6),
        "defence_from": at(0.6),
        "defence_to": at(0.85),
        "scoring_closes_on": end,
    }


def check_windows(values: dict[str, Any]) -> None:
    """Each window opens before it closes; scoring closes after the last visit and defence
    (windows may overlap: a late application may be visited while others are still made)."""
    for name in WINDOW_FIELDS:
        if values.get(name) is None:
            raise DomainError(_("请填写全部日期。"), field=name)
    for first, last in _PAIRS:
        if values[first] > values[last]:
            raise DomainError(_("结束日期不能早于开始日期。"), field=last)
    if values["scoring_closes_on"] < max(values["site_to"], values["defence_to"]):
        raise DomainError(
            _("评分截止日期不能早于现场考核和集中答辩结束日期。"), field="scoring_closes_on"
        )


def create_round(actor: Actor, cycle: Cycle) -> CertificationRound:
    """The cycle's round with default windows (inside the caller's transaction)."""
    r = CertificationRound.objects.create(cycle=cycle, **default_windows(cycle))
    log_action(actor, r, "certification.round.created", after=snapshot(r))
    return r


@transaction.atomic
def round_update(
    actor: Actor, *, round: CertificationRound, values: dict[str, Any]
) -> CertificationRound:
    """Change the round's windows (nothing else here)."""
    require(actor, "certification.manage_round")
    r = lock(CertificationRound, round.pk)
    if r.status == RoundStatus.CLOSED:
        raise DomainError(_("评选认定已截止，不能再修改日期。"))
    refused = set(values) - set(WINDOW_FIELDS)
    if refused:
        raise DomainError(_("只能修改各阶段日期。"))
    before = snapshot(r, list(WINDOW_FIELDS))
    for name, value in values.items():
        setattr(r, name, value)
    check_windows({name: getattr(r, name) for name in WINDOW_FIELDS})
    r.save()
    sync_exam_window(actor, r)
    log_action(
        actor,
        r,
        "certification.round.updated",
        before=before,
        after=snapshot(r, list(WINDOW_FIELDS)),
    )
    return r


def unrecommended_count(r: CertificationRound) -> int:
    """Submitted applications the bodies have not yet recommended, returned or withdrawn."""
    return r.applications.filter(status=ApplicationStatus.SUBMITTED).count()


def unplaced_count(r: CertificationRound) -> int:
    """Sent applications without a review area."""
    return r.applications.filter(
        area__isnull=True,
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED),
    ).count()


def unfinished_sheet_count(r: CertificationRound) -> int:
    """Score sheets still owed: for every live assignment, each score set without a
    submitted sheet (one query)."""
    owed = (
        Assignment.objects.filter(application__round=r, status__in=LIVE_ASSIGNMENT_STATUSES)
        .annotate(done=Count("sheets", filter=Q(sheets__status=SheetStatus.SUBMITTED)))
        .values_list("done", flat=True)
    )
    sets = len(ScoreSet.values)
    return sum(max(0, sets - done) for done in owed)


def _pending_refusal(r: CertificationRound, to: str) -> str | None:
    """Why moving forward to ``to`` would leave work undone, or None."""
    if to == RoundStatus.REVIEW:
        n = unrecommended_count(r)
        if n:
            return _(
                "尚有 %(n)s 份申报待组织推荐，不能截止申报（如确需截止，请勾选强制并填写原因）。"
            ) % {"n": n}
    if to == RoundStatus.CLOSED:
        n = unfinished_sheet_count(r)
        if n:
            return _(
                "尚有 %(n)s 份评分表未提交，不能截止评分（如确需截止，请勾选强制并填写原因）。"
            ) % {"n": n}
    return None


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因。"), field="reason")
    return reason


def _recipients(r: CertificationRound, to: str) -> list[Any]:
    """The city, the bodies with filed collectives in the cycle, and, when applications
    open, those collectives' managers."""
    regs = Registration.objects.filter(cycle_id=r.cycle_id, status__in=COUNTED_STATUSES)
    users = list(city_admins())
    for body_id in regs.values_list("body_id", flat=True).distinct():
        users += body_admins(body_id)
    if to == RoundStatus.APPLICATIONS:
        for collective_id in regs.values_list("collective_id", flat=True):
            users += collective_managers(collective_id)
    return users


@dataclass(frozen=True)
class RoundMove:
    round: CertificationRound
    pending: str | None


# What a later stage refuses about a round's move (awards: scoring is not reopened under a
# frozen shortlist). Each veto gets the locked round and the target status and raises
# DomainError to refuse; registered from the later app's AppConfig.ready.
RoundVeto = Callable[[CertificationRound, str], None]
_move_vetoes: list[RoundVeto] = []


def register_move_veto(veto: RoundVeto) -> None:
    """A second registration of the same veto changes nothing."""
    if veto not in _move_vetoes:
        _move_vetoes.append(veto)


@transaction.atomic
def round_move(
    actor: Actor,
    *,
    round: CertificationRound,
    to: str,
    force: bool = False,
    reason: str = "",
) -> RoundMove:
    """Move the round to ``to``. Backward moves (reopening applications or scoring) need a
    reason; forward moves that leave work undone need force and a reason."""
    require(actor, "certification.manage_round")
    r = lock(CertificationRound, round.pk)
    ROUND_TRANSITIONS.check(r, to)
    for veto in _move_vetoes:
        veto(r, to)
    order = list(RoundStatus.values)
    backward = order.index(to) < order.index(r.status)
    pending = None if backward else _pending_refusal(r, to)
    if pending and not force:
        raise DomainError(pending, code="pending")
    if backward or force:
        reason = _need_reason(reason)
    if to == RoundStatus.APPLICATIONS and r.cycle.phase != Phase.CERTIFICATION:
        raise DomainError(_("创建周期尚未进入评选认定阶段。"))
    if to == RoundStatus.APPLICATIONS and not backward:
        ensure_exam(actor, r)
    before = snapshot(r, ["status"])
    ROUND_TRANSITIONS.move(r, to)
    r.save()
    log_action(
        actor,
        r,
        "certification.round.status_changed",
        before=before,
        after=snapshot(r, ["status"]),
        data={"force": force, "reason": reason, "pending": str(pending or "")},
    )
    notify(
        _recipients(r, to),
        link=round_url(r),
        code="certification.round.moved",
        params={"cycle": cycle_msg(r.cycle), "status": RoundStatus(to).label},
    )
    return RoundMove(r, pending)


# Phase hooks (registered in CertificationConfig.ready) ----------------------------------------


def _round_created_on_entering(move: phases.PhaseMove) -> None:
    if move.backward:
        return
    if not CertificationRound.objects.filter(cycle=move.cycle).exists():
        create_round(move.actor, move.cycle)


def _open_round_blocks_closing(move: phases.PhaseMove) -> None:
    # A round still in draft never took an application: closing loses nothing.
    r = CertificationRound.objects.filter(cycle=move.cycle).first()
    if r is None or r.status in (RoundStatus.DRAFT, RoundStatus.CLOSED) or move.force:
        return
    raise DomainError(
        _("评选认定尚未截止（当前为“%(s)s”），不能结束周期（如确需结束，请勾选强制并填写原因）。")
        % {"s": RoundStatus(r.status).label}
    )


_registered: list[phases.PhaseHooks] = []


def register_phase_hooks() -> None:
    """Called from ``CertificationConfig.ready``; a second call changes nothing."""
    if _registered:
        return
    _registered.extend(
        [
            phases.register(Phase.CERTIFICATION, on_enter=_round_created_on_entering),
            phases.register(Phase.CLOSED, veto=_open_round_blocks_closing),
        ]
    )


@transaction.atomic
def round_assign_areas(actor: Actor, *, round: CertificationRound) -> int:
    """Give the round's sent applications without a review area the area of their town (for
    areas set up after the applications were submitted). Returns how many were placed."""
    require(actor, "certification.manage_round")
    r = lock(CertificationRound, round.pk)
    placed = 0
    for area in ReviewArea.objects.filter(active=True).order_by("sort_order", "id"):
        placed += r.applications.filter(
            area__isnull=True,
            status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED),
            town__in=area.towns.all(),
        ).update(area=area)
    log_action(actor, r, "certification.round.areas_assigned", data={"placed": placed})
    return placed
