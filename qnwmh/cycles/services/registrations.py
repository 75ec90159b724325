"""Registrations (报备): filing, resubmitting, withdrawing, the body's preliminary review
(初评) within its quota, special recommendation and ranking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.eligibility import EligibilityResult, check_eligibility
from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Eligibility,
    TitleStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.facts import encode
from qnwmh.core.locking import lock
from qnwmh.core.masking import masked_snapshot
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_texts, normalise_phone
from qnwmh.cycles.models import (
    COUNTED_STATUSES,
    LIVE_STATUSES,
    REGISTRATION_TRANSITIONS,
    Cycle,
    Phase,
    Registration,
    RegistrationStatus,
)
from qnwmh.cycles.selectors import list_with_body
from qnwmh.cycles.services.common import _need_reason, _registration_url
from qnwmh.cycles.services.quotas import _counted, _lock_quota
from qnwmh.notices.services import body_admins, collective_managers, notify
from qnwmh.orgs.models import Organisation
from qnwmh.programme.models import ProgrammeRules


def frozen_rules(cycle: Cycle) -> Any:
    """The cycle's frozen rules as attributes (live rules before the cycle opens)."""
    if cycle.rules_snapshot:
        return SimpleNamespace(**cycle.rules_snapshot)
    return ProgrammeRules.current()


def registration_eligibility(cycle: Cycle, collective: Collective) -> EligibilityResult:
    members = list(collective.members.current().only("birth_date", "nationality", "is_leader"))
    return check_eligibility(members, frozen_rules(cycle), cycle.reference_date)


def _check_window(cycle: Cycle) -> None:
    if cycle.phase != Phase.REGISTRATION_OPEN:
        raise DomainError(_("本周期当前不在报备阶段。"))
    today = timezone.localdate()
    if not cycle.registration_opens_on <= today <= cycle.registration_closes_on:
        raise DomainError(
            _("报备时间为 %(a)s 至 %(b)s。")
            % {
                "a": cycle.registration_opens_on.isoformat(),
                "b": cycle.registration_closes_on.isoformat(),
            }
        )


def _check_revocation_bar(cycle: Cycle, collective: Collective) -> None:
    bar = int(cycle.rule("revocation_bar_cycles", 1))
    if bar <= 0:
        return
    since = datetime.date(cycle.registration_year - 2 * bar, 1, 1)
    revoked = (
        collective.titles.filter(status=TitleStatus.REVOKED, ended_on__gte=since)
        .order_by("-ended_on", "-id")
        .first()
    )
    if revoked is not None and revoked.ended_on is not None:
        # Barred while the revocation falls on or after 1 January of (registration year − 2 ×
        # bar): the first registration year clear of it is the revocation's year + 2 × bar + 1.
        raise DomainError(
            _(
                "该集体的称号于 %(on)s 被撤销（%(reason)s），按规定 %(n)s 个周期内不得报备，"
                "最早可参加 %(year)s 年度开始报备的周期。"
            )
            % {
                "on": revoked.ended_on.isoformat(),
                "reason": revoked.end_reason or _("未说明原因"),
                "n": bar,
                "year": revoked.ended_on.year + 2 * bar + 1,
            },
            code="revocation_bar",
        )


def _check_eligible(cycle: Cycle, collective: Collective) -> EligibilityResult:
    result = registration_eligibility(cycle, collective)
    failed = [c for c in result.checks if c.status == Eligibility.NOT_MET]
    if failed:
        lines = "；".join(
            _("%(label)s：实际 %(actual)s，要求 %(required)s")
            % {"label": c.label, "actual": c.actual, "required": c.required}
            for c in failed
        )
        raise DomainError(
            _("该集体不符合报备条件（按 %(on)s 计算）：%(lines)s")
            % {"on": result.on.isoformat(), "lines": lines},
            code="ineligible",
        )
    return result


def _checks_json(result: EligibilityResult) -> list[dict[str, Any]]:
    """The eligibility snapshot as facts (qnwmh.core.facts): shown in the reader's language."""
    return [
        {
            "code": c.code,
            "label": encode(c.label),
            "status": str(c.status),
            "actual": encode(c.actual),
            "required": encode(c.required),
        }
        for c in result.checks
    ]


REGISTRATION_FIELDS = (
    "plan_summary",
    "leader_name",
    "leader_phone",
    "leading_group",
    "pledge",
    "special_recommendation",
)


REGISTRATION_TEXT_FIELDS = (
    "plan_summary",
    "leader_name",
    "leader_phone",
    "leading_group",
    "pledge",
)


def _apply_values(actor: Actor, reg: Registration, values: dict[str, Any]) -> None:
    refused = set(values) - set(REGISTRATION_FIELDS)
    if refused:
        raise DomainError(_("不能修改以下字段：%(f)s") % {"f": "、".join(sorted(refused))})
    check_texts(values, REGISTRATION_TEXT_FIELDS)
    if "special_recommendation" in values and bool(values["special_recommendation"]) != bool(
        reg.special_recommendation
    ):
        require(actor, "cycles.recommend", reg.collective)
    if "leader_phone" in values:
        values = {
            **values,
            "leader_phone": normalise_phone(values["leader_phone"] or "", field="leader_phone"),
        }
    for name, value in values.items():
        setattr(reg, name, value.strip() if isinstance(value, str) else value)
    for name, label in (
        ("plan_summary", _("创建计划摘要")),
        ("leader_name", _("号长")),
        ("leading_group", _("创建领导小组成员")),
        ("pledge", _("创建承诺")),
    ):
        if not getattr(reg, name):
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)


def _reg_snapshot(reg: Registration) -> dict[str, Any]:
    """What the audit log keeps of a registration: the leader's phone masked."""
    return masked_snapshot(snapshot(reg), phones=("leader_phone",))


@dataclass(frozen=True)
class Filed:
    registration: Registration
    warnings: list[str]


def _near_warnings(result: EligibilityResult) -> list[str]:
    return [
        str(
            _("%(label)s接近临界：实际 %(actual)s，要求 %(required)s")
            % {"label": c.label, "actual": c.actual, "required": c.required}
        )
        for c in result.checks
        if c.status == Eligibility.NEAR
    ]


def _notify_reviewers(reg: Registration, code: str) -> None:
    notify(
        body_admins(reg.body_id),
        link=_registration_url(reg),
        code=code,
        params={"c": reg.collective.name, "no": reg.number},
    )


@transaction.atomic
def registration_file(
    actor: Actor, *, cycle: Cycle, collective: Collective, values: dict[str, Any]
) -> Filed:
    require(actor, "cycles.file", collective)
    cycle = lock(Cycle, cycle.pk)  # also serialises numbering
    collective = lock(Collective, collective.pk)
    _check_window(cycle)
    if collective.status != CollectiveStatus.ACTIVE:
        raise DomainError(_("该集体已归档，不能报备。"))
    if collective.body.kind != Organisation.Kind.BODY:
        raise DomainError(_("集体必须归属于一个基层团委或团工委。"))
    if Registration.objects.filter(
        cycle=cycle, collective=collective, status__in=LIVE_STATUSES
    ).exists():
        raise DomainError(_("该集体在本周期已有报备。"))
    _check_revocation_bar(cycle, collective)
    result = _check_eligible(cycle, collective)
    seq = Registration.objects.filter(cycle=cycle).count() + 1
    reg = Registration(
        cycle=cycle,
        collective=collective,
        body_id=collective.body_id,
        town_id=collective.town_id,
        ownership=collective.ownership,
        number=f"{cycle.session_no}-{seq:04d}",
        status=RegistrationStatus.SUBMITTED,
        eligibility=result.status,
        eligibility_checks=_checks_json(result),
        filed_by=actor.user,
        filed_at=timezone.now(),
    )
    _apply_values(actor, reg, values)
    reg.save()
    warnings = _near_warnings(result)
    log_action(
        actor,
        reg,
        "cycles.registration.filed",
        after=_reg_snapshot(reg),
        data={"warnings": warnings},
    )
    _notify_reviewers(reg, "cycles.registration.filed")
    return Filed(reg, warnings)


SPECIAL_STATUSES = (
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.RETURNED,
    RegistrationStatus.ACCEPTED,
)


@transaction.atomic
def registration_set_special(
    actor: Actor, *, registration: Registration, value: bool
) -> Registration:
    """Mark or unmark a registration for special recommendation (特别推荐): a league decision
    of the managing body (while its list is with it) or the city, never of the collective's
    manager (the rule ``cycles.set_special``)."""
    require(actor, "cycles.set_special", registration)
    reg = lock(Registration, registration.pk)
    if reg.status not in SPECIAL_STATUSES:
        raise DomainError(
            _("报备当前状态为“%(s)s”，不能调整特别推荐。") % {"s": reg.get_status_display()}
        )
    if reg.special_recommendation == value:
        return reg
    before = snapshot(reg, ["special_recommendation"])
    reg.special_recommendation = value
    reg.save(update_fields=["special_recommendation", "updated_at"])
    log_action(
        actor,
        reg,
        "cycles.registration.special_set",
        before=before,
        after=snapshot(reg, ["special_recommendation"]),
    )
    return reg


@transaction.atomic
def registration_resubmit(
    actor: Actor, *, registration: Registration, values: dict[str, Any]
) -> Filed:
    """Change a returned registration and send it back for review (eligibility re-checked)."""
    require(actor, "cycles.file", registration.collective)
    reg = lock(Registration, registration.pk)
    _check_window(reg.cycle)
    REGISTRATION_TRANSITIONS.move(reg, RegistrationStatus.SUBMITTED)
    result = _check_eligible(reg.cycle, reg.collective)
    before = _reg_snapshot(reg)
    _apply_values(actor, reg, values)
    reg.eligibility = result.status
    reg.eligibility_checks = _checks_json(result)
    reg.rank = None
    reg.save()
    warnings = _near_warnings(result)
    log_action(
        actor, reg, "cycles.registration.resubmitted", before=before, after=_reg_snapshot(reg)
    )
    _notify_reviewers(reg, "cycles.registration.resubmitted")
    return Filed(reg, warnings)


@transaction.atomic
def registration_withdraw(actor: Actor, *, registration: Registration, reason: str) -> Registration:
    require(actor, "cycles.file", registration.collective)
    reason = _need_reason(reason)
    reg = lock(Registration, registration.pk)
    if reg.status in COUNTED_STATUSES:
        # A counted registration frees a quota place: count under the same lock as acceptance.
        _lock_quota(reg.cycle_id, reg.body_id)
    before = snapshot(reg, ["status", "rank"])
    REGISTRATION_TRANSITIONS.move(reg, RegistrationStatus.WITHDRAWN)
    reg.rank = None
    reg.save()
    log_action(
        actor,
        reg,
        "cycles.registration.withdrawn",
        before=before,
        after=snapshot(reg, ["status", "rank"]),
        data={"reason": reason},
    )
    notify(
        body_admins(reg.body_id),
        link=_registration_url(reg),
        code="cycles.registration.withdrawn",
        params={"no": reg.number, "c": reg.collective.name, "r": reason},
    )
    return reg


def _check_reviewable(reg: Registration) -> None:
    if reg.cycle.phase not in (Phase.REGISTRATION_OPEN, Phase.REGISTRATION_CLOSED):
        raise DomainError(_("本周期当前不能进行初评。"))
    if not list_with_body(reg.cycle_id, reg.body_id):
        raise DomainError(_("本组织名单已报送团市委，不能再修改初评结果。"))


@transaction.atomic
def registration_accept(actor: Actor, *, registration: Registration) -> Registration:
    """Preliminary review: accept, within the body's quota (locked, so never exceeded)."""
    require(actor, "cycles.review", registration.body)
    cycle = registration.cycle
    if not cycle.quotas_published_at:
        raise DomainError(_("名额尚未公布，暂不能初评通过。"))
    quota = _lock_quota(cycle.pk, registration.body_id)
    reg = lock(Registration, registration.pk)
    _check_reviewable(reg)
    before = snapshot(reg, ["status", "rank"])
    REGISTRATION_TRANSITIONS.move(reg, RegistrationStatus.ACCEPTED)
    used = _counted(reg.cycle_id, reg.body_id)
    if used >= quota.final:
        raise DomainError(
            _("已达到本周期名额上限（%(q)s 个），不能再通过初评。如需增加名额，请联系团市委。")
            % {"q": quota.final},
            code="quota_full",
        )
    reg.rank = used + 1
    reg.reviewed_by = actor.user
    reg.reviewed_at = timezone.now()
    reg.review_reason = ""
    reg.save()
    log_action(
        actor,
        reg,
        "cycles.registration.accepted",
        before=before,
        after=snapshot(reg, ["status", "rank"]),
        data={"used": used + 1, "quota": quota.final},
    )
    notify(
        collective_managers(reg.collective_id),
        link=_registration_url(reg),
        code="cycles.registration.accepted",
        params={"no": reg.number, "c": reg.collective.name},
    )
    return reg


def _review_with_reason(
    actor: Actor, registration: Registration, reason: str, to: str, code: str
) -> Registration:
    require(actor, "cycles.review", registration.body)
    reason = _need_reason(reason)
    reg = lock(Registration, registration.pk)
    _check_reviewable(reg)
    if reg.status in COUNTED_STATUSES:
        _lock_quota(reg.cycle_id, reg.body_id)
    before = snapshot(reg, ["status", "rank"])
    REGISTRATION_TRANSITIONS.move(reg, to)
    reg.rank = None
    reg.reviewed_by = actor.user
    reg.reviewed_at = timezone.now()
    reg.review_reason = reason
    reg.save()
    log_action(
        actor,
        reg,
        code,
        before=before,
        after=snapshot(reg, ["status", "rank"]),
        data={"reason": reason},
    )
    notify(
        collective_managers(reg.collective_id),
        link=_registration_url(reg),
        code=code,
        params={"no": reg.number, "c": reg.collective.name, "r": reason},
    )
    return reg


@transaction.atomic
def registration_return(actor: Actor, *, registration: Registration, reason: str) -> Registration:
    return _review_with_reason(
        actor,
        registration,
        reason,
        RegistrationStatus.RETURNED,
        "cycles.registration.returned",
    )


@transaction.atomic
def registration_reject(actor: Actor, *, registration: Registration, reason: str) -> Registration:
    return _review_with_reason(
        actor,
        registration,
        reason,
        RegistrationStatus.REJECTED,
        "cycles.registration.rejected",
    )


@transaction.atomic
def registrations_rank(actor: Actor, *, cycle: Cycle, body: Organisation, order: list[str]) -> None:
    """Rank the body's accepted registrations: ``order`` lists their codes, first = rank 1."""
    require(actor, "cycles.review", body)
    _lock_quota(cycle.pk, body.pk)
    if not list_with_body(cycle.pk, body.pk):
        raise DomainError(_("本组织名单已报送团市委，不能再调整排序。"))
    accepted = {
        r.code: r
        for r in Registration.objects.filter(
            cycle=cycle, body=body, status=RegistrationStatus.ACCEPTED
        )
    }
    if sorted(order) != sorted(accepted) or len(set(order)) != len(order):
        raise DomainError(_("排序须包含本组织全部初评通过的报备，且每项只出现一次。"))
    for i, code in enumerate(order, start=1):
        accepted[code].rank = i
    Registration.objects.bulk_update(accepted.values(), ["rank"])
    log_action(
        actor,
        body,
        "cycles.registration.ranked",
        data={"cycle": cycle.code, "order": [accepted[c].number for c in order]},
    )
