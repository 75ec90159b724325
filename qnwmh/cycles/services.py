"""State changes of cycles, quotas, registrations and the bodies' lists. One function per
transition: permission → guard → lock → save → one audit entry → notices (e-mail on commit)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.eligibility import EligibilityResult, check_eligibility
from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Eligibility,
    Level,
    Ownership,
    TitleStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.facts import encode
from qnwmh.core.locking import lock
from qnwmh.core.masking import masked_snapshot
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_texts, normalise_phone
from qnwmh.cycles.arithmetic import quota_for
from qnwmh.cycles.models import (
    COUNTED_STATUSES,
    LIVE_STATUSES,
    PHASE_ORDER,
    PHASE_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    SUBMISSION_TRANSITIONS,
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
from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify
from qnwmh.orgs.models import Organisation, Town
from qnwmh.programme.models import ProgrammeRules, QuotaBase

DATE_FIELDS = (
    "registration_opens_on",
    "registration_closes_on",
    "creation_ends_on",
    "certification_starts_on",
    "certification_ends_on",
)


def _cycle_url(cycle: Cycle) -> str:
    return reverse("cycles:detail", args=[cycle.code])


def _registration_url(reg: Registration) -> str:
    return reverse("cycles:registration_detail", args=[reg.cycle.code, reg.code])


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因。"), field="reason")
    return reason


# Cycles ---------------------------------------------------------------------------------


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


@transaction.atomic
def cycle_move(
    actor: Actor, *, cycle: Cycle, to: str, force: bool = False, reason: str = ""
) -> PhaseChange:
    """Move the cycle to phase ``to``. Forward moves that would leave work undone are refused
    unless forced with a reason; backward moves always need a reason."""
    require(actor, "cycles.manage")
    cycle = lock(Cycle, cycle.pk)
    if to not in PHASE_TRANSITIONS.get(cycle.phase, frozenset()):
        raise DomainError(
            _("不能从“%(a)s”转到“%(b)s”。")
            % {"a": cycle.get_phase_display(), "b": Phase(to).label if to in Phase.values else to}
        )
    backward = PHASE_ORDER.index(to) < PHASE_ORDER.index(cycle.phase)
    if backward or force:
        reason = _need_reason(reason)
    before = snapshot(cycle, ["phase"])
    warnings: list[str] = []
    towns: list[str] = []
    if to == Phase.REGISTRATION_OPEN:
        _open_registration(cycle)
    elif to == Phase.REGISTRATION_CLOSED and not backward:
        pending = _unreviewed_bodies(cycle)
        if pending and not force:
            raise DomainError(
                _(
                    "以下组织尚有待初评的报备，不能截止报备（如确需截止，请勾选强制并填写原因）：%(b)s"
                )
                % {"b": "、".join(pending)}
            )
        towns = _close_registration(cycle)
        if towns:
            warnings.append(_("以下镇区没有非公经济组织集体报备：%(t)s") % {"t": "、".join(towns)})
    elif to == Phase.CREATION and not backward:
        waiting = BodySubmission.objects.filter(
            cycle=cycle, status=SubmissionStatus.SUBMITTED
        ).count()
        if waiting and not force:
            raise DomainError(
                _(
                    "尚有 %(n)s 个组织报送的名单未处理，不能进入创建阶段（如确需进入，请勾选强制并填写原因）。"
                )
                % {"n": waiting}
            )
    elif to == Phase.CLOSED:
        cycle.closed_at = timezone.now()
    cycle.phase = to
    cycle.save()
    log_action(
        actor,
        cycle,
        "cycles.cycle.phase_changed",
        before=before,
        after=snapshot(cycle, ["phase"]),
        data={"force": force, "reason": reason, "warnings": [str(w) for w in warnings]},
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
    if towns:
        notify(
            city_admins(),
            link=reverse("cycles:towns", args=[cycle.code]),
            code="cycles.cycle.nonpublic_warning",
            params={"t": "、".join(towns)},
        )
    return PhaseChange(cycle=cycle, warnings=[str(w) for w in warnings])


# Quotas ---------------------------------------------------------------------------------


def _bases(cycle: Cycle, kind: str) -> dict[int, int]:
    bodies = Organisation.objects.bodies().filter(active=True)
    if kind == QuotaBase.TITLES_HELD:
        rows = bodies.annotate(
            n=Count(
                "collectives",
                distinct=True,
                filter=Q(
                    collectives__titles__status=TitleStatus.ACTIVE,
                    collectives__titles__level__in=[Level.CITY, Level.PROVINCIAL, Level.NATIONAL],
                ),
            )
        )
    elif kind == QuotaBase.COLLECTIVES:
        rows = bodies.annotate(
            n=Count("collectives", filter=Q(collectives__status=CollectiveStatus.ACTIVE))
        )
    else:
        entered = dict(
            Quota.objects.filter(cycle=cycle).values_list("body_id", "headcount_entered")
        )
        return {pk: entered.get(pk) or 0 for pk in bodies.values_list("pk", flat=True)}
    return dict(rows.values_list("pk", "n"))


def _compute_quotas(cycle: Cycle) -> list[Quota]:
    kind = str(cycle.rule("quota_base", QuotaBase.TITLES_HELD))
    k = Decimal(str(cycle.rule("quota_k", "1")))
    existing = {q.body_id: q for q in Quota.objects.filter(cycle=cycle)}
    out = []
    for body_id, base in _bases(cycle, kind).items():
        quota = existing.get(body_id) or Quota(cycle=cycle, body_id=body_id)
        quota.base_kind = kind
        quota.base_value = base
        quota.computed = quota_for(base, k)
        out.append(quota)
    Quota.objects.bulk_create([q for q in out if q.pk is None])
    Quota.objects.bulk_update(
        [q for q in out if q.pk is not None], ["base_kind", "base_value", "computed", "updated_at"]
    )
    return out


@transaction.atomic
def quotas_compute(actor: Actor, *, cycle: Cycle) -> list[Quota]:
    require(actor, "cycles.manage")
    cycle = lock(Cycle, cycle.pk)
    if cycle.quotas_published_at:
        raise DomainError(_("名额已公布，不能重新计算；如需调整，请逐个调整并说明原因。"))
    if cycle.phase not in (Phase.DRAFT, Phase.REGISTRATION_OPEN):
        raise DomainError(_("报备截止后不能重新计算名额。"))
    quotas = _compute_quotas(cycle)
    log_action(
        actor,
        cycle,
        "cycles.quota.computed",
        data={
            "base": str(cycle.rule("quota_base")),
            "k": str(cycle.rule("quota_k")),
            "total": sum(q.computed for q in quotas),
            "bodies": len(quotas),
        },
    )
    return quotas


def _counted(cycle_id: int, body_id: int) -> int:
    return Registration.objects.filter(
        cycle_id=cycle_id, body_id=body_id, status__in=COUNTED_STATUSES
    ).count()


@transaction.atomic
def quota_override(actor: Actor, *, quota: Quota, value: int | None, reason: str) -> Quota:
    """Set (or with ``None`` clear) a body's quota by hand, with a reason (audited)."""
    require(actor, "cycles.manage")
    reason = _need_reason(reason)
    quota = lock(Quota, quota.pk)
    if quota.cycle.phase == Phase.CLOSED:
        raise DomainError(_("周期已结束，不能调整名额。"))
    if value is not None:
        if value < 0:
            raise DomainError(_("名额不能为负数。"), field="value")
        used = _counted(quota.cycle_id, quota.body_id)
        if value < used:
            raise DomainError(
                _("该组织已有 %(n)s 个报备通过初评，名额不能少于此数。") % {"n": used},
                field="value",
            )
    before = snapshot(quota, ["override", "override_reason"])
    quota.override = value
    quota.override_reason = reason
    quota.save()
    log_action(
        actor,
        quota,
        "cycles.quota.overridden",
        before=before,
        after=snapshot(quota, ["override", "override_reason"]),
        data={"reason": reason},
    )
    if quota.cycle.quotas_published_at:
        notify(
            body_admins(quota.body_id),
            link=reverse("cycles:quotas", args=[quota.cycle.code]),
            code="cycles.quota.overridden",
            params={"cycle": cycle_msg(quota.cycle), "n": quota.final},
        )
    return quota


@transaction.atomic
def quota_set_headcount(actor: Actor, *, quota: Quota, headcount: int) -> Quota:
    """The body enters its youth headcount (a possible base), before the quotas are published."""
    require(actor, "cycles.set_headcount", quota)
    quota = lock(Quota, quota.pk)
    if quota.cycle.quotas_published_at:
        raise DomainError(_("名额已公布，不能再修改填报人数。"))
    if headcount < 0 or headcount > 10_000_000:
        raise DomainError(_("请填写合理的青年人数。"), field="headcount")
    before = snapshot(quota, ["headcount_entered", "base_value", "computed"])
    quota.headcount_entered = headcount
    if quota.base_kind == QuotaBase.YOUTH_HEADCOUNT:
        quota.base_value = headcount
        quota.computed = quota_for(headcount, Decimal(str(quota.cycle.rule("quota_k", "1"))))
    quota.save()
    log_action(
        actor,
        quota,
        "cycles.quota.headcount_set",
        before=before,
        after=snapshot(quota, ["headcount_entered", "base_value", "computed"]),
    )
    return quota


@transaction.atomic
def quotas_publish(actor: Actor, *, cycle: Cycle) -> Cycle:
    require(actor, "cycles.manage")
    cycle = lock(Cycle, cycle.pk)
    if cycle.quotas_published_at:
        raise DomainError(_("名额已公布。"))
    quotas = list(Quota.objects.filter(cycle=cycle))
    if not quotas:
        raise DomainError(_("尚未计算名额。"))
    cycle.quotas_published_at = timezone.now()
    cycle.save(update_fields=["quotas_published_at", "updated_at"])
    log_action(
        actor,
        cycle,
        "cycles.quota.published",
        data={"total": sum(q.final for q in quotas), "bodies": len(quotas)},
    )
    link = reverse("cycles:quotas", args=[cycle.code])
    for q in quotas:
        notify(
            body_admins(q.body_id),
            link=link,
            code="cycles.quota.published",
            params={"cycle": cycle_msg(cycle), "n": q.final},
        )
    return cycle


# Registration ---------------------------------------------------------------------------


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
    revoked = collective.titles.filter(status=TitleStatus.REVOKED, ended_on__gte=since).first()
    if revoked is not None:
        raise DomainError(
            _("该集体的称号于 %(on)s 被撤销，按规定 %(n)s 个周期内不得报备。")
            % {"on": revoked.ended_on.isoformat() if revoked.ended_on else "", "n": bar}
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
    of the managing body or the city, never of the collective's manager."""
    require(actor, "cycles.recommend", registration.collective)
    reg = lock(Registration, registration.pk)
    if reg.status not in SPECIAL_STATUSES:
        raise DomainError(
            _("报备当前状态为“%(s)s”，不能调整特别推荐。") % {"s": reg.get_status_display()}
        )
    if not actor.is_city_admin and not _list_with_body(reg):
        raise DomainError(_("本组织名单已报送团市委，不能再调整特别推荐。"))
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


def _move(reg: Registration, to: str) -> None:
    if to not in REGISTRATION_TRANSITIONS.get(reg.status, frozenset()):
        raise DomainError(
            _("报备当前状态为“%(s)s”，不能执行此操作。") % {"s": reg.get_status_display()}
        )
    reg.status = to


def _list_with_body(reg: Registration) -> bool:
    sub = BodySubmission.objects.filter(cycle_id=reg.cycle_id, body_id=reg.body_id).first()
    return sub is None or sub.status in (SubmissionStatus.OPEN, SubmissionStatus.RETURNED)


@transaction.atomic
def registration_resubmit(
    actor: Actor, *, registration: Registration, values: dict[str, Any]
) -> Filed:
    """Change a returned registration and send it back for review (eligibility re-checked)."""
    require(actor, "cycles.file", registration.collective)
    reg = lock(Registration, registration.pk)
    _check_window(reg.cycle)
    _move(reg, RegistrationStatus.SUBMITTED)
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
    _move(reg, RegistrationStatus.WITHDRAWN)
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


def _lock_quota(cycle_id: int, body_id: int) -> Quota:
    """Lock the body's quota row: every acceptance of the body's registrations queues here."""
    quota = (
        Quota.objects.filter(cycle_id=cycle_id, body_id=body_id)
        .values_list("pk", flat=True)
        .first()
    )
    if quota is None:
        raise DomainError(_("本组织在本周期没有报备名额。"))
    return lock(Quota, quota)


def _check_reviewable(reg: Registration) -> None:
    if reg.cycle.phase not in (Phase.REGISTRATION_OPEN, Phase.REGISTRATION_CLOSED):
        raise DomainError(_("本周期当前不能进行初评。"))
    if not _list_with_body(reg):
        raise DomainError(_("本组织名单已报送团市委，不能再修改初评结果。"))


@transaction.atomic
def registration_accept(actor: Actor, *, registration: Registration) -> Registration:
    """Preliminary review: accept, within the body's quota (locked, so never exceeded)."""
    require(actor, "cycles.review", registration.body_id)
    cycle = registration.cycle
    if not cycle.quotas_published_at:
        raise DomainError(_("名额尚未公布，暂不能初评通过。"))
    quota = _lock_quota(cycle.pk, registration.body_id)
    reg = lock(Registration, registration.pk)
    _check_reviewable(reg)
    before = snapshot(reg, ["status", "rank"])
    _move(reg, RegistrationStatus.ACCEPTED)
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
    require(actor, "cycles.review", registration.body_id)
    reason = _need_reason(reason)
    reg = lock(Registration, registration.pk)
    _check_reviewable(reg)
    if reg.status in COUNTED_STATUSES:
        _lock_quota(reg.cycle_id, reg.body_id)
    before = snapshot(reg, ["status", "rank"])
    _move(reg, to)
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
    require(actor, "cycles.review", body.pk)
    _lock_quota(cycle.pk, body.pk)
    if not _list_with_body(Registration(cycle=cycle, body=body)):
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


# The body's list ------------------------------------------------------------------------


def _submission(cycle: Cycle, body_id: int) -> BodySubmission:
    sub, _created = BodySubmission.objects.get_or_create(cycle=cycle, body_id=body_id)
    return lock(BodySubmission, sub.pk)


@transaction.atomic
def submission_submit(actor: Actor, *, cycle: Cycle, body: Organisation) -> BodySubmission:
    require(actor, "cycles.review", body.pk)
    if cycle.phase not in (Phase.REGISTRATION_OPEN, Phase.REGISTRATION_CLOSED):
        raise DomainError(_("本周期当前不能报送名单。"))
    _lock_quota(cycle.pk, body.pk)
    sub = _submission(cycle, body.pk)
    if SubmissionStatus.SUBMITTED not in SUBMISSION_TRANSITIONS[sub.status]:
        raise DomainError(_("名单当前状态为“%(s)s”，不能报送。") % {"s": sub.get_status_display()})
    regs = Registration.objects.filter(cycle=cycle, body=body)
    if regs.filter(status=RegistrationStatus.SUBMITTED).exists():
        raise DomainError(_("尚有待初评的报备，请先完成初评再报送。"))
    accepted = regs.filter(status=RegistrationStatus.ACCEPTED).count()
    if not accepted:
        raise DomainError(_("没有初评通过的报备，无法报送。"))
    before = snapshot(sub, ["status"])
    sub.status = SubmissionStatus.SUBMITTED
    sub.submitted_at = timezone.now()
    sub.reason = ""
    sub.save()
    log_action(
        actor,
        sub,
        "cycles.submission.submitted",
        before=before,
        after=snapshot(sub, ["status"]),
        data={"accepted": accepted},
    )
    notify(
        city_admins(),
        link=reverse("cycles:submissions", args=[cycle.code]),
        code="cycles.submission.submitted",
        params={"b": body.name, "cycle": cycle_msg(cycle), "n": accepted},
    )
    return sub


def _decide(
    actor: Actor, submission: BodySubmission, to: str
) -> tuple[BodySubmission, dict[str, Any]]:
    require(actor, "cycles.manage")
    sub = lock(BodySubmission, submission.pk)
    if to not in SUBMISSION_TRANSITIONS[sub.status]:
        raise DomainError(
            _("名单当前状态为“%(s)s”，不能执行此操作。") % {"s": sub.get_status_display()}
        )
    before = snapshot(sub, ["status"])
    sub.status = to
    sub.decided_at = timezone.now()
    return sub, before


@transaction.atomic
def submission_accept(actor: Actor, *, submission: BodySubmission) -> BodySubmission:
    sub, before = _decide(actor, submission, SubmissionStatus.ACCEPTED)
    sub.save()
    regs = list(
        Registration.objects.filter(
            cycle_id=sub.cycle_id, body_id=sub.body_id, status=RegistrationStatus.ACCEPTED
        )
    )
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(
        status=RegistrationStatus.FILED, updated_at=timezone.now()
    )
    log_action(
        actor,
        sub,
        "cycles.submission.accepted",
        before=before,
        after=snapshot(sub, ["status"]),
        data={"filed": [r.number for r in regs]},
    )
    link = reverse("cycles:registrations", args=[sub.cycle.code])
    notify(
        body_admins(sub.body_id),
        link=link,
        code="cycles.submission.accepted",
        params={"cycle": cycle_msg(sub.cycle), "n": len(regs)},
    )
    for r in regs:
        notify(
            collective_managers(r.collective_id),
            link=_registration_url(r),
            code="cycles.registration.filed_by_city",
            params={"no": r.number},
        )
    return sub


@transaction.atomic
def submission_return(actor: Actor, *, submission: BodySubmission, reason: str) -> BodySubmission:
    reason = _need_reason(reason)
    sub, before = _decide(actor, submission, SubmissionStatus.RETURNED)
    sub.reason = reason
    sub.save()
    log_action(
        actor,
        sub,
        "cycles.submission.returned",
        before=before,
        after=snapshot(sub, ["status"]),
        data={"reason": reason},
    )
    notify(
        body_admins(sub.body_id),
        link=reverse("cycles:registrations", args=[sub.cycle.code]),
        code="cycles.submission.returned",
        params={"cycle": cycle_msg(sub.cycle), "r": reason},
    )
    return sub


# Reminders ------------------------------------------------------------------------------


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
