"""Reads of evidence files, always scoped by the actor.

Hook: ``MANAGER_HIDDEN_PURPOSES`` — purposes whose files a collective's own managers must not
see even though the file belongs to their collective (e.g. a complainant's photos). Later
apps add to it in their ``AppConfig.ready``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from qnwmh.core.actor import Actor
from qnwmh.evidence.models import EvidenceFile

MANAGER_HIDDEN_PURPOSES: set[str] = set()


def evidence_visible_to(actor: Actor) -> QuerySet[EvidenceFile]:
    """City admins see every file; body admins the files of their bodies and of their bodies'
    collectives; collective managers their collectives' files. Everyone else nothing."""
    qs = EvidenceFile.objects.all()
    if actor.is_city_admin:
        return qs
    condition = Q()
    if actor.body_ids:
        condition |= Q(body_id__in=actor.body_ids) | Q(collective__body_id__in=actor.body_ids)
    if actor.collective_ids:
        own = Q(collective_id__in=actor.collective_ids)
        if MANAGER_HIDDEN_PURPOSES:
            own &= ~Q(purpose__in=MANAGER_HIDDEN_PURPOSES)
        condition |= own
    return qs.filter(condition) if condition else qs.none()


def collective_usage_bytes(collective_id: int) -> int:
    from django.db.models import Sum

    total = EvidenceFile.objects.filter(collective_id=collective_id).aggregate(
        s=Sum("stored_size")
    )["s"]
    return int(total or 0)


def body_usage_bytes(body_id: int) -> int:
    from django.db.models import Sum

    total = EvidenceFile.objects.filter(body_id=body_id, collective__isnull=True).aggregate(
        s=Sum("stored_size")
    )["s"]
    return int(total or 0)
