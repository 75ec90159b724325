"""Creating a cycle, adjusting its dates and moving it through its phases (the hooks that
entering a phase consults are registered in ``qnwmh.cycles.phases``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Ownership
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.cycles import phases
from qnwmh.cycles.models import (
    LIVE_STATUSES,
    PHASE_ORDER,
    PHASE_TRANSITIONS,
    BodySubmission,
    Cycle,
    NonPublicWarning,
    Phase,
    Quota,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.notices import cycle_msg
from qnwmh.cycles.services.common import DATE_FIELDS, _cycle_url, _need_reason
from qnwmh.cycles.services.quotas import _compute_quotas
from qnwmh.notices.services import body_admins, city_admins, notify
from qnwmh.orgs.models import Organisation, Town
from qnwmh.programme.models import ProgrammeRules


def _check_cycle_values(values: dict[str, Any]) -> None:
    reg_year = values["registration_year"]
    if reg_year % 2 != 1:
        raise DomainError(_("报备年度应为奇数年。"), field="registration_year")
    dates = [values[name] for name in DATE_FIELDS]
    if any(d is None for d in dates):
        raise DomainError(_("请填写全部阶段日期。"))
    if dates != sorted(dates):
        raise DomainError(
            _("阶段日期须依次为：报备开始、报备截止、创建结束、评选认定开始、评选认定结束。")
        )
    # The call for filings may go out late in the year before; the deadline is in the odd year.
    if values["registration_closes_on"].year != reg_year:
        raise DomainError(_("报备截止日期须在报备年度内。"), field="registration_closes_on")
    if values["certification_starts_on"].year != reg_year + 1:
        raise DomainError(
            _("评选认定须在认定年度（报备年度的次年）进行。"), field="certification_starts_on"
        )


@transaction.atomic
def cycle_create(actor: Actor, *, values: dict[str, Any]) -> Cycle:
    require(actor, "cycles.manage")
    values = dict(values)
    values["certification_year"] = values["registration_year"] + 1
    _check_cycle_values(values)
    if Cycle.objects.filter(session_no=values["session_no"]).exists():
        raise DomainError(
            _("第 %(no)s 届创建周期已存在。") % {"no": values["session_no"]}, field="session_no"
        )
    cycle = Cycle.objects.create(**values)
    log_action(actor, cycle, "cycles.cycle.created", after=snapshot(cycle))
    return cycle


@transaction.atomic
def cycle_update(actor: Actor, *, cycle: Cycle, values: dict[str, Any]) -> Cycle:
    """Adjust the phase dates (the session and years are fixed once created)."""
    require(actor, "cycles.manage")
    cycle = lock(Cycle, cycle.pk)
    if cycle.phase == Phase.CLOSED:
        raise DomainError(_("周期已结束，不能再修改。"))
    refused = set(values) - set(DATE_FIELDS)
    if refused:
        raise DomainError(_("只能修改阶段日期。"))
    before = snapshot(cycle)
    for name, value in values.items():
        setattr(cycle, name, value)
    _check_cycle_values(
        {name: getattr(cycle, name) for name in (*DATE_FIELDS, "registration_year")}
    )
    cycle.save()
    log_action(actor, cycle, "cycles.cycle.updated", before=before, after=snapshot(cycle))
    return cycle


@dataclass(frozen=True)
class PhaseChange:
    cycle: Cycle
    warnings: list[str]


def _open_registration(cycle: Cycle) -> None:
    if not cycle.rules_snapshot:
        cycle.rules_snapshot = ProgrammeRules.current().as_dict()
    cycle.opened_at = cycle.opened_at or timezone.now()
    if not cycle.quotas.exists():
        _compute_quotas(cycle)


def _unreviewed_bodies(cycle: Cycle) -> list[str]:
    return list(
        Organisation.objects.filter(
            registrations__cycle=cycle, registrations__status=RegistrationStatus.SUBMITTED
        )
        .distinct()
        .order_by("path")
        .values_list("name", flat=True)
    )


def _close_registration(cycle: Cycle) -> list[str]:
    """Record a warning for every town below the non-public minimum; return the messages."""
    required = int(cycle.rule("nonpublic_min_per_town", 1))
    if required <= 0:
        return []
    counts = dict(
        Registration.objects.filter(
            cycle=cycle, status__in=LIVE_STATUSES, ownership=Ownership.NON_PUBLIC
        )
        .values("town_id")
        .annotate(n=Count("id"))
        .values_list("town_id", "n")
    )
    warnings = []
    rows = []
    for town in Town.objects.filter(active=True):
        n = counts.get(town.pk, 0)
        if n < required:
            rows.append(
                NonPublicWarning(cycle=cycle, town=town, non_public_count=n, required=required)
            )
            warnings.append(str(town.name))
    NonPublicWarning.objects.bulk_create(rows)
    return warnings


# What entering a phase refuses or does (see qnwmh.cycles.phases) ---------------------------


def _registration_opens(move: phases.PhaseMove) -> None:
    _open_registration(move.cycle)


def _unreviewed_block_closing(move: phases.PhaseMove) -> None:
    if move.backward:
        return
    pending = _unreviewed_bodies(move.cycle)
    if pending and not move.force:
        raise DomainError(
            _("以下组织尚有待初评的报备，不能截止报备（如确需截止，请勾选强制并填写原因）：%(b)s")
            % {"b": "、".join(pending)}
        )


def _registration_closes(move: phases.PhaseMove) -> None:
    if move.backward:
        return
    cycle = move.cycle
    towns = _close_registration(cycle)
    if not towns:
        return
    move.warnings.append(_("以下镇区没有非公经济组织集体报备：%(t)s") % {"t": "、".join(towns)})
    move.later(
        lambda: notify(
            city_admins(),
            link=reverse("cycles:towns", args=[cycle.code]),
            code="cycles.cycle.nonpublic_warning",
            params={"t": "、".join(towns)},
        )
    )


def _undecided_lists_block_creation(move: phases.PhaseMove) -> None:
    if move.backward:
        return
    waiting = BodySubmission.objects.filter(
        cycle=move.cycle, status=SubmissionStatus.SUBMITTED
    ).count()
    if waiting and not move.force:
        raise DomainError(
            _(
                "尚有 %(n)s 个组织报送的名单未处理，不能进入创建阶段（如确需进入，请勾选强制并填写原因）。"
            )
            % {"n": waiting}
        )


def _cycle_closes(move: phases.PhaseMove) -> None:
    move.cycle.closed_at = timezone.now()


_own_hooks: list[phases.PhaseHooks] = []


def register_phase_hooks() -> None:
    """The cycle's own phase rules; called from ``CyclesConfig.ready``, before the later apps
    register theirs. Registering twice (a second ``ready``) changes nothing."""
    if _own_hooks:
        return
    _own_hooks.extend(
        [
            phases.register(Phase.REGISTRATION_OPEN, on_enter=_registration_opens),
            phases.register(
                Phase.REGISTRATION_CLOSED,
                veto=_unreviewed_block_closing,
                on_enter=_registration_closes,
            ),
            phases.register(Phase.CREATION, veto=_undecided_lists_block_creation),
            phases.register(Phase.CLOSED, on_enter=_cycle_closes),
        ]
    )


@transaction.atomic
def cycle_move(
    actor: Actor, *, cycle: Cycle, to: str, force: bool = False, reason: str = ""
) -> PhaseChange:
    """Move the cycle to phase ``to``. Forward moves that would leave work undone are refused
    unless forced with a reason; backward moves always need a reason. What entering ``to``
    refuses or does is asked of the hooks registered in ``qnwmh.cycles.phases``."""
    require(actor, "cycles.manage")
    cycle = lock(Cycle, cycle.pk)
    PHASE_TRANSITIONS.check(cycle, to)
    backward = PHASE_ORDER.index(to) < PHASE_ORDER.index(cycle.phase)
    if backward or force:
        reason = _need_reason(reason)
    before = snapshot(cycle, ["phase"])
    move = phases.PhaseMove(
        actor=actor,
        cycle=cycle,
        source=cycle.phase,
        to=to,
        backward=backward,
        force=force,
        reason=reason,
    )
    phases.enter(move)
    PHASE_TRANSITIONS.move(cycle, to)
    cycle.save()
    warnings = [str(w) for w in move.warnings]
    log_action(
        actor,
        cycle,
        "cycles.cycle.phase_changed",
        before=before,
        after=snapshot(cycle, ["phase"]),
        data={"force": force, "reason": reason, "warnings": warnings},
    )
    recipients = list(city_admins())
    if to in (Phase.REGISTRATION_OPEN, Phase.REGISTRATION_CLOSED):
        admin_ids = Quota.objects.filter(cycle=cycle).values_list("body_id", flat=True)
        for body_id in admin_ids:
            recipients += body_admins(body_id)
    notify(
        recipients,
        link=_cycle_url(cycle),
        code="cycles.cycle.phase_changed",
        params={"cycle": cycle_msg(cycle), "phase": Phase(cycle.phase).label},
    )
    phases.finish(move)
    return PhaseChange(cycle=cycle, warnings=warnings)
