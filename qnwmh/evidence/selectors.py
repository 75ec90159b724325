"""Reads of evidence files, always scoped by the actor.

Hooks, which later apps fill in their ``AppConfig.ready``:
- ``MANAGER_HIDDEN_PURPOSES`` — purposes whose files a collective's own managers must not
  see even though the file belongs to their collective (e.g. a complainant's photos);
- ``SHARED_FILES`` — functions giving, for an actor, the ids of files that belong to someone
  else but were shared with the actor's collectives (an exchange event's photos, stored
  under its organiser, in each attending collective's creation log).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.core.actor import Actor
from qnwmh.core.scope import scope_q
from qnwmh.evidence.models import EvidenceFile

MANAGER_HIDDEN_PURPOSES: set[str] = set()
SHARED_FILES: list[Callable[[Actor], QuerySet[Any]]] = []


def evidence_visible_to(actor: Actor) -> QuerySet[EvidenceFile]:
    """City admins see every file; body admins the files of their bodies and of their bodies'
    collectives; collective managers their collectives' files; and everyone the files shared
    with what they reach (``SHARED_FILES``). Everyone else nothing."""
    if actor.is_city_admin:
        return EvidenceFile.objects.all()
    condition = scope_q(
        actor,
        body=("body_id", "collective__body_id"),
        collective="collective_id",
        own=~Q(purpose__in=MANAGER_HIDDEN_PURPOSES) if MANAGER_HIDDEN_PURPOSES else None,
    )
    if condition is None:
        return EvidenceFile.objects.none()
    for shared in SHARED_FILES:
        condition |= Q(pk__in=shared(actor))
    return EvidenceFile.objects.filter(condition)


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


def evidence_detail(actor: Actor, code: str) -> EvidenceFile:
    """The file with this code, or Http404 if the actor may not see it."""
    return get_object_or_404(evidence_visible_to(actor), code=code)
