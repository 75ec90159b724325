"""Reads of the decision part: the final audit list with each entry's checks, the caps as they
stand, and decisions. The service re-reads the same checks under the shortlist's lock."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.awards.caps import Caps, caps_for
from qnwmh.awards.models import (
    Decision,
    EntryStatus,
    InspectionOutcome,
    NoticeItem,
    Objection,
    ObjectionStatus,
    Shortlist,
    ShortlistEntry,
)
from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Organisation


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    why: str = ""  # what is missing, when not ok


@dataclass
class AuditRow:
    entry: ShortlistEntry
    checks: list[Check] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.entry.status == EntryStatus.DECIDED

    @property
    def ready(self) -> bool:
        return not self.decided and all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[str]:
        return [c.why for c in self.checks if not c.ok]


def shortlists_for_decision(actor: Actor) -> QuerySet[Shortlist]:
    return Shortlist.objects.select_related("round__cycle").order_by("-frozen_at")


def shortlist_for_decision(actor: Actor, code: str) -> Shortlist:
    return get_object_or_404(shortlists_for_decision(actor), code=code)


def annotated_entries(
    shortlist: Shortlist, today: datetime.date | None = None
) -> QuerySet[ShortlistEntry]:
    """Listed and decided entries with what the checks read, in one query."""
    today = today or timezone.localdate()
    items = NoticeItem.objects.filter(entry=OuterRef("pk"))
    return (
        ShortlistEntry.objects.filter(
            shortlist=shortlist, status__in=(EntryStatus.LISTED, EntryStatus.DECIDED)
        )
        .select_related("collective", "body", "town", "inspection", "title", "decision")
        .annotate(
            on_notice=Exists(items),
            notice_ended=Exists(items.filter(notice__closes_on__lt=today)),
            open_objections=Exists(
                Objection.objects.filter(item__entry=OuterRef("pk")).exclude(
                    status=ObjectionStatus.DECIDED
                )
            ),
        )
        .order_by("body__name", "body_position", "id")
    )


def checks_of(entry: ShortlistEntry) -> list[Check]:
    """The four conditions of the final list; each failing one says why."""
    inspection = getattr(entry, "inspection", None)
    if inspection is None:
        inspected = Check(_("考察通过"), False, _("尚未考察"))
    elif inspection.outcome != InspectionOutcome.PASSED:
        inspected = Check(_("考察通过"), False, _("考察未通过"))
    else:
        inspected = Check(_("考察通过"), True)
    if not entry.on_notice:  # type: ignore[attr-defined]
        noticed = Check(_("公示期满"), False, _("未经公示"))
    elif not entry.notice_ended:  # type: ignore[attr-defined]
        noticed = Check(_("公示期满"), False, _("公示尚未结束"))
    else:
        noticed = Check(_("公示期满"), True)
    objections = (
        Check(_("异议已办结"), False, _("有异议尚未办结"))
        if entry.open_objections  # type: ignore[attr-defined]
        else Check(_("异议已办结"), True)
    )
    listed = (
        Check(_("在拟认定名单"), True)
        if entry.status in (EntryStatus.LISTED, EntryStatus.DECIDED)
        else Check(_("在拟认定名单"), False, _("已不在拟认定名单"))
    )
    return [listed, inspected, noticed, objections]


def audit_rows(shortlist: Shortlist) -> list[AuditRow]:
    return [AuditRow(e, checks_of(e)) for e in annotated_entries(shortlist)]


@dataclass(frozen=True)
class BodyCapRow:
    body: Organisation
    cap: int
    listed: int
    decided: int

    @property
    def free(self) -> int:
        return max(self.cap - self.decided, 0)


@dataclass(frozen=True)
class CapsView:
    caps: Caps
    bodies: list[BodyCapRow]

    @property
    def decided(self) -> int:
        return sum(b.decided for b in self.bodies)


def caps_view(shortlist: Shortlist) -> CapsView:
    """The caps from ``caps_for`` beside the places listed and decided, per body."""
    caps = caps_for(shortlist.round.cycle)
    counts = (
        shortlist.entries.values("body_id")
        .annotate(
            listed=Count("id", filter=Q(status=EntryStatus.LISTED)),
            decided=Count("id", filter=Q(status=EntryStatus.DECIDED)),
        )
        .order_by()
    )
    by_body = {c["body_id"]: (c["listed"], c["decided"]) for c in counts}
    bodies = Organisation.objects.filter(id__in=set(by_body) | set(caps.bodies)).order_by("name")
    rows = [
        BodyCapRow(
            b,
            caps.body_cap(b.id),
            *by_body.get(b.id, (0, 0)),
        )
        for b in bodies
    ]
    return CapsView(caps, rows)


def decisions_visible_to(actor: Actor) -> QuerySet[Decision]:
    """A decision is an official document: the city and every body admin read it; anyone
    else the decisions that named one of the collectives they manage."""
    qs = Decision.objects.select_related("shortlist__round__cycle", "decided_by")
    if actor.is_city_admin or actor.is_body_admin:
        return qs
    named = ShortlistEntry.objects.filter(
        decision=OuterRef("pk"), collective_id__in=actor.collective_ids
    )
    return qs.filter(Exists(named))


def decision_detail(actor: Actor, code: str) -> Decision:
    return get_object_or_404(decisions_visible_to(actor), code=code)


def decided_entries(decision: Decision) -> QuerySet[ShortlistEntry]:
    """The collectives a decision names, by body then rank (the naming list's order)."""
    return (
        decision.entries.select_related("collective", "body", "town", "title")
        .prefetch_related("title__certificates")
        .order_by("body__name", "body_position", "id")
    )


def scoped_entries(actor: Actor, qs: QuerySet[ShortlistEntry]) -> QuerySet[ShortlistEntry]:
    return in_scope(qs, actor, body="body")
