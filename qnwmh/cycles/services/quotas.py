"""Quotas (名额): computed from the frozen base, overridden by hand, published to the bodies;
``_lock_quota`` is where every acceptance of a body's registrations queues."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import (
    CollectiveStatus,
    Level,
    TitleStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.cycles.arithmetic import quota_for
from qnwmh.cycles.models import (
    COUNTED_STATUSES,
    Cycle,
    Phase,
    Quota,
    Registration,
)
from qnwmh.cycles.notices import cycle_msg
from qnwmh.cycles.services.common import _need_reason
from qnwmh.notices.services import body_admins, notify
from qnwmh.orgs.models import Organisation
from qnwmh.programme.models import QuotaBase


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
