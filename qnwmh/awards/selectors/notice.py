"""Reads of the notice part, scoped by the actor: a body admin reaches its subtree's entries,
their inspections and the objections on them; city staff everything. The public reads only
notices that have opened, and an objection by its tracking code."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.awards.models import (
    EntryStatus,
    InspectionOutcome,
    NoticeItem,
    Objection,
    ObjectionStatus,
    PublicNotice,
    Shortlist,
    ShortlistEntry,
)
from qnwmh.core.actor import Actor
from qnwmh.core.codes import normalise_code
from qnwmh.core.errors import NotFound
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope

# Entries an inspection concerns: on the list now, or once (removed or decided since).
INSPECTED_STATUSES = (EntryStatus.LISTED, EntryStatus.REMOVED, EntryStatus.DECIDED)


def shortlists_visible_to(actor: Actor) -> QuerySet[Shortlist]:
    """City staff and body admins see the shortlists (entries are scoped separately)."""
    if not (actor.is_city_admin or actor.is_body_admin):
        return Shortlist.objects.none()
    return Shortlist.objects.select_related("round__cycle").order_by("-frozen_at")


def shortlist_detail(actor: Actor, code: str) -> Shortlist:
    return get_object_or_404(shortlists_visible_to(actor), code=code)


def entries_visible_to(actor: Actor) -> QuerySet[ShortlistEntry]:
    return in_scope(ShortlistEntry.objects.all(), actor, body="body_id")


def inspection_list(actor: Actor, shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    """The entries that were ever listed, with their inspection (if any), by city position.
    Removed entries stay so their reason shows."""
    return (
        entries_visible_to(actor)
        .filter(shortlist=shortlist)
        .filter(
            Q(status__in=(EntryStatus.LISTED, EntryStatus.DECIDED)) | Q(inspection__isnull=False)
        )
        .select_related("collective", "body", "town", "inspection")
        .order_by("city_position", "id")
    )


def entry_in_shortlist(actor: Actor, code: str, entry_id: int) -> ShortlistEntry:
    return get_object_or_404(
        entries_visible_to(actor).select_related(
            "shortlist__round__cycle", "collective", "body", "town", "application"
        ),
        shortlist__code=code,
        pk=entry_id,
    )


def publishable_entries(shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    """Listed entries that passed inspection and are on no notice yet."""
    return (
        shortlist.entries.filter(
            status=EntryStatus.LISTED,
            inspection__outcome=InspectionOutcome.PASSED,
        )
        .exclude(Exists(NoticeItem.objects.filter(entry_id=OuterRef("pk"))))
        .select_related("collective", "body", "town", "application")
        .order_by("city_position", "id")
    )


# Notices ---------------------------------------------------------------------------------------


def notices_visible_to(actor: Actor) -> QuerySet[PublicNotice]:
    """Back office: every notice to city staff and body admins (notices are public anyway)."""
    if not (actor.is_city_admin or actor.is_body_admin):
        return PublicNotice.objects.none()
    return PublicNotice.objects.select_related("shortlist__round").annotate(
        item_count=Count("items", distinct=True)
    )


def notice_detail(actor: Actor, code: str) -> PublicNotice:
    return get_object_or_404(notices_visible_to(actor), code=code)


def public_notices(today: datetime.date | None = None) -> QuerySet[PublicNotice]:
    """Notices that have opened (open now or ended), newest first; scheduled ones wait."""
    today = today or timezone.localdate()
    return PublicNotice.objects.filter(opens_on__lte=today).annotate(
        item_count=Count("items", distinct=True)
    )


def public_notice(actor: Actor, code: str) -> PublicNotice:
    """A notice by its code for anyone (``actor`` unused: the guard's loader signature)."""
    return get_object_or_404(public_notices(), code=code)


def notice_items(notice: PublicNotice) -> list[NoticeItem]:
    """The notice's collectives with what the public reads (body, town, sector, summary and,
    for a removed entry, the published reason)."""
    return list(
        notice.items.select_related(
            "entry__collective__sector", "entry__body", "entry__town"
        ).order_by("position")
    )


def public_item(notice: PublicNotice, position: int) -> NoticeItem:
    return get_object_or_404(
        notice.items.select_related("entry__collective", "notice"), position=position
    )


# Objections ------------------------------------------------------------------------------------

OBJECTION_STATES = ("open", "overdue", "decided")


@dataclass(frozen=True)
class ObjectionFilters:
    state: str = ""
    notice: str = ""

    @classmethod
    def from_query(cls, data: Any) -> ObjectionFilters:
        q = Query(data)
        return cls(
            state=q.choice("state", OBJECTION_STATES), notice=q.text("notice", max_length=12)
        )


def objections_visible_to(actor: Actor) -> QuerySet[Objection]:
    return in_scope(Objection.objects.all(), actor, body="item__entry__body_id")


def objection_list(
    actor: Actor, filters: ObjectionFilters, today: datetime.date | None = None
) -> QuerySet[Objection]:
    today = today or timezone.localdate()
    qs = objections_visible_to(actor).select_related(
        "item__notice", "item__entry__collective", "item__entry__body", "handler"
    )
    if filters.state == "open":
        qs = qs.exclude(status=ObjectionStatus.DECIDED)
    elif filters.state == "overdue":
        qs = qs.exclude(status=ObjectionStatus.DECIDED).filter(due_on__lt=today)
    elif filters.state == "decided":
        qs = qs.filter(status=ObjectionStatus.DECIDED)
    if filters.notice:
        qs = qs.filter(item__notice__code=filters.notice)
    return qs.order_by("status", "due_on", "-id")


def objection_detail(actor: Actor, pk: int) -> Objection:
    return get_object_or_404(
        objections_visible_to(actor).select_related(
            "item__notice", "item__entry__collective", "item__entry__body", "handler"
        ),
        pk=pk,
    )


def is_overdue(objection: Objection, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return objection.status != ObjectionStatus.DECIDED and objection.due_on < today


def tracked_objection(actor: Actor, tracking_code: str) -> Objection:
    """An objection by its tracking code, for whoever holds the code."""
    objection = (
        Objection.objects.select_related("item__notice", "item__entry__collective")
        .filter(code=normalise_code(tracking_code))
        .first()
    )
    if objection is None:
        raise NotFound(_("没有找到这个查询码的异议，请核对后重新输入。"))
    return objection
