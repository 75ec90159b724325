"""Reads of complaints and ratings, always starting from what the actor may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Case, CharField, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Collective, CollectiveStatus
from qnwmh.core.actor import Actor
from qnwmh.core.errors import NotFound
from qnwmh.core.prepared import Bound, prepared
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.supervision.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    TIMELINESS,
    Complaint,
    ComplaintPhoto,
    Holiday,
    Rating,
    Status,
    ack_on_time_q,
    ack_overdue_q,
    ack_timeliness_q,
    finish_on_time_q,
    finish_overdue_q,
    finish_timeliness_q,
)


def complaints_visible_to(actor: Actor) -> QuerySet[Complaint]:
    """The one scoping function for complaints: city admins all, body admins those routed to
    their bodies (subtree included); nobody else any."""
    return in_scope(Complaint.objects.all(), actor, body="body_id")


STATES = ("open", "overdue", "escalated", "city_review", "answered", "finished", "held")


@dataclass(frozen=True)
class ComplaintFilters:
    state: str = ""
    status: str = ""
    kind: str = ""
    category: str = ""
    channel: str = ""
    body: int | None = None
    town: int | None = None
    sector: int | None = None
    collective: str = ""
    q: str = ""
    # Received in this year (local time).
    year: int | None = None
    # Acknowledged / finished within the deadline or not (``models.ack_timeliness_q``).
    ack: str = ""
    finish: str = ""

    @classmethod
    def from_query(cls, params: Any) -> ComplaintFilters:
        from qnwmh.supervision.models import Category, Channel, Kind

        query = Query(params)
        return cls(
            state=query.choice("state", STATES),
            status=query.choice("status", Status.values),
            kind=query.choice("kind", Kind.values),
            category=query.choice("category", Category.values),
            channel=query.choice("channel", Channel.values),
            body=query.number("body"),
            town=query.number("town"),
            sector=query.number("sector"),
            collective=query.text("collective", max_length=12),
            q=query.text("q"),
            year=query.number("year", low=2000, high=2100),
            ack=query.choice("ack", TIMELINESS),
            finish=query.choice("finish", TIMELINESS),
        )


def filter_complaints(
    qs: QuerySet[Complaint], f: ComplaintFilters, today: datetime.date | None = None
) -> QuerySet[Complaint]:
    today = today or timezone.localdate()
    if f.state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.state == "overdue":
        qs = qs.overdue(today)  # type: ignore[attr-defined]
    elif f.state == "escalated":
        qs = qs.filter(escalation_level__gt=0, status__in=OPEN_STATUSES)
    elif f.state == "city_review":
        qs = qs.filter(city_review=True, status__in=OPEN_STATUSES)
    elif f.state == "answered":
        qs = qs.filter(status=Status.REPLIED)
    elif f.state == "finished":
        qs = qs.filter(status__in=FINISHED_STATUSES)
    elif f.state == "held":
        qs = qs.filter(held_for_review=True)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.town:
        qs = qs.filter(collective__town_id=f.town)
    if f.sector:
        qs = qs.filter(collective__sector_id=f.sector)
    if f.collective:
        qs = qs.filter(collective__code=f.collective)
    if f.q:
        qs = qs.filter(Q(code__startswith=f.q.upper()) | Q(collective__name__icontains=f.q))
    if f.year:
        qs = qs.filter(received_at__year=f.year)
    if f.ack:
        qs = qs.filter(ack_timeliness_q(f.ack, today))
    if f.finish:
        qs = qs.filter(finish_timeliness_q(f.finish, today))
    return qs


def with_timeliness(qs: QuerySet[Complaint], today: datetime.date) -> QuerySet[Complaint]:
    """Each complaint with ``ack_timeliness`` and ``finish_timeliness``: "on_time", "late" or
    "" (not yet due), by the very conditions the list's ``ack`` and ``finish`` filters use."""
    return qs.annotate(
        ack_timeliness=_timeliness(ack_timeliness_q, today),
        finish_timeliness=_timeliness(finish_timeliness_q, today),
    )


def _timeliness(condition: Any, today: datetime.date) -> Case:
    return Case(
        *(When(condition(value, today), then=Value(value)) for value in TIMELINESS),
        default=Value(""),
        output_field=CharField(),
    )


@prepared
def _first_received() -> QuerySet[Any]:
    return Complaint.objects.order_by("received_at").values_list("received_at", flat=True)


def complaint_years(selected: int | None = None) -> list[int]:
    """The years the list offers: from the first complaint's to this one (one indexed read),
    and the one asked for even if outside (a dashboard's link names it)."""
    this_year = timezone.localdate().year
    first = _first_received.first()
    start = timezone.localtime(first).year if first else this_year
    years = set(range(min(start, this_year), this_year + 1))
    if selected:
        years.add(selected)
    return sorted(years, reverse=True)


def complaint_list(actor: Actor, filters: ComplaintFilters) -> QuerySet[Complaint]:
    return _listed.build(actor, filters, timezone.localdate())


@prepared
def _listed(actor: Actor, filters: ComplaintFilters, today: datetime.date) -> QuerySet[Complaint]:
    return filter_complaints(complaints_visible_to(actor), filters, today).select_related(
        "collective", "body", "handler", "duplicate_of"
    )


def complaint_rows(
    actor: Actor, filters: ComplaintFilters
) -> QuerySet[Complaint] | Bound[Complaint]:
    """``complaint_list`` to page through whole (the API's list): compiled once per process,
    scope, set of filters and day, except a text search (as ``complaint_ids``)."""
    return _listed.bind_unless(filters.q, actor, filters, timezone.localdate())


@prepared
def _ids_in_order(actor: Actor, filters: ComplaintFilters, today: datetime.date) -> QuerySet[Any]:
    return filter_complaints(complaints_visible_to(actor), filters, today).values_list(
        "id", flat=True
    )


def complaint_ids(actor: Actor, filters: ComplaintFilters) -> QuerySet[Any] | Bound[Any]:
    """The ids of the list's complaints in its order, to page through: compiled once per
    process, scope, set of filters and day (the overdue and timeliness filters read the
    date), except a text search."""
    return _ids_in_order.bind_unless(filters.q, actor, filters, timezone.localdate())


# What a row of the complaints list renders.
LIST_COLUMNS = (
    "id",
    "code",
    "kind",
    "category",
    "status",
    "city_review",
    "escalation_level",
    "held_for_review",
    "received_at",
    "ack_due",
    "finish_due",
    "collective__name",
    "body__name",
    "handler__username",
    "handler__display_name",
)


def complaints_in_order(ids: list[int]) -> list[Complaint]:
    """The complaints with these ids (a page found on the list's index), in that order, with
    only the columns a list row shows: the page's rows are joined, not every row skipped."""
    by_id = {c.pk: c for c in _list_rows.rows(tuple(ids))}
    return [by_id[i] for i in ids]


@prepared
def _list_rows(ids: tuple[int, ...]) -> QuerySet[Complaint]:
    rows = Complaint.objects.filter(pk__in=ids).select_related("collective", "body", "handler")
    return rows.only(*LIST_COLUMNS)


def complaint_detail(actor: Actor, code: str) -> Complaint:
    """The complaint with this code, or Http404 if the actor may not see it; with whether its
    steps were done in time (``with_timeliness``)."""
    return get_object_or_404(
        with_timeliness(
            complaints_visible_to(actor).select_related(
                "collective", "collective__town", "body", "handler", "duplicate_of"
            ),
            timezone.localdate(),
        ),
        code=code,
    )


def complaint_photo(actor: Actor, code: str, photo_id: int) -> ComplaintPhoto:
    """A photo of a complaint the actor may see, or Http404."""
    complaint = complaint_detail(actor, code)
    return get_object_or_404(complaint.photos.select_related("evidence"), pk=photo_id)


def public_collective(actor: Actor, code: str) -> Collective:
    """The collective a public feedback page names: any active one, whoever asks (the
    actor is the anonymous visitor); archived or unknown codes answer 404."""
    return get_object_or_404(
        Collective.objects.select_related("body", "town").filter(status=CollectiveStatus.ACTIVE),
        code=code,
    )


def filer_complaint(actor: Actor, tracking_code: str) -> Complaint:
    """The complaint a public tracking page names, whoever asks (see ``complaint_for_filer``)."""
    return complaint_for_filer(tracking_code)


def complaint_for_filer(tracking_code: str) -> Complaint:
    """The complaint a tracking code names (its status is public to the code's holder; the
    details and the filer's answer need the filer's secret, checked by the caller)."""
    complaint = (
        Complaint.objects.select_related("collective")
        .filter(code=(tracking_code or "").strip().upper())
        .first()
    )
    if complaint is None:
        raise NotFound(_("没有找到这个查询码的投诉，请核对后重新输入。"))
    return complaint


# Figures ----------------------------------------------------------------------------------

GROUPS = {
    "town": ("collective__town__name",),
    "sector": ("collective__sector__name",),
    "category": ("category",),
    "body": ("body__name",),
}


def active_holiday(actor: Actor, pk: int) -> Holiday:
    """A holiday still in force, or Http404 (the calendar is the city's: the rule decides who)."""
    return get_object_or_404(Holiday.objects.filter(active=True), pk=pk)


def figures(
    actor: Actor, f: ComplaintFilters, group: str, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Counts per town, sector, category or body: total, open, overdue, acknowledged and
    finished on time, upheld, unsatisfied."""
    today = today or timezone.localdate()
    key = GROUPS.get(group, GROUPS["town"])[0]
    overdue = ack_overdue_q(today) | finish_overdue_q(today)
    rows = (
        filter_complaints(complaints_visible_to(actor), f, today)
        .order_by()
        .values(key)
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=overdue),
            ack_on_time=Count("id", filter=ack_on_time_q()),
            finish_on_time=Count("id", filter=finish_on_time_q()),
            upheld=Count("id", filter=Q(upheld=True)),
            unsatisfied=Count("id", filter=Q(satisfied=False)),
        )
        .order_by("-total", key)
    )
    out = []
    for row in rows:
        label = row.pop(key)
        out.append({"label": label, **row})
    return out


# Public appraisal (社会评价) for certification and re-review ----------------------------------


def public_appraisal(
    collective_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, Any]]:
    """Per collective over [start, end]: rating count and average, complaints filed and upheld,
    praise received. Two queries whatever the number of collectives."""
    out: dict[int, dict[str, Any]] = {
        cid: {"ratings": 0, "rating_avg": None, "complaints": 0, "upheld": 0, "praise": 0}
        for cid in collective_ids
    }
    for rrow in (
        Rating.objects.filter(collective_id__in=collective_ids, day__range=(start, end))
        .values("collective_id")
        .annotate(n=Count("id"), avg=Avg("stars"))
    ):
        out[rrow["collective_id"]].update(
            ratings=rrow["n"], rating_avg=round(float(rrow["avg"]), 2)
        )
    for row in (
        Complaint.objects.filter(
            collective_id__in=collective_ids, received_at__date__range=(start, end)
        )
        .values("collective_id")
        .annotate(
            complaints=Count("id", filter=Q(kind="complaint")),
            upheld=Count("id", filter=Q(upheld=True)),
            praise=Count("id", filter=Q(kind="praise")),
        )
    ):
        out[row["collective_id"]].update(
            complaints=row["complaints"], upheld=row["upheld"], praise=row["praise"]
        )
    return out


def rating_summary(collective_id: int) -> dict[str, Any]:
    return rating_stats(Rating.objects.filter(collective_id=collective_id))


# Ratings (评价) -------------------------------------------------------------------------------

# The average score of a set of ratings, shown to one decimal: the list's summary and the
# dashboard's monthly figure both read this aggregate and this rounding.
RATING_AVERAGE = Avg("stars")


def rating_average(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def rating_stats(qs: QuerySet[Rating]) -> dict[str, Any]:
    """How many ratings and their average score (None when there are none), in one query."""
    row = qs.order_by().aggregate(n=Count("id"), avg=RATING_AVERAGE)
    return {"n": row["n"], "avg": rating_average(row["avg"])}


def ratings_visible_to(actor: Actor) -> QuerySet[Rating]:
    """Ratings of the collectives the actor's bodies manage (subtree included), all for the
    city; the same staff who read the complaints list, nobody else."""
    if not (actor.is_city_admin or actor.is_body_admin):
        return Rating.objects.none()
    return in_scope(Rating.objects.all(), actor, body="collective__body_id")


@dataclass(frozen=True)
class RatingFilters:
    year: int | None = None
    month: int | None = None
    stars: int | None = None
    body: int | None = None
    town: int | None = None
    collective: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> RatingFilters:
        query = Query(params)
        return cls(
            year=query.number("year", low=2000, high=2100),
            month=query.number("month", low=1, high=12),
            stars=query.number("stars", low=1, high=5),
            body=query.number("body"),
            town=query.number("town"),
            collective=query.text("collective", max_length=12),
            q=query.text("q"),
        )


def filter_ratings(qs: QuerySet[Rating], f: RatingFilters) -> QuerySet[Rating]:
    # ``day`` is the local day the rating was given (the once-a-day bound's day).
    if f.year:
        qs = qs.filter(day__year=f.year)
    if f.month:
        qs = qs.filter(day__month=f.month)
    if f.stars:
        qs = qs.filter(stars=f.stars)
    if f.body:
        qs = qs.filter(collective__body_id=f.body)
    if f.town:
        qs = qs.filter(collective__town_id=f.town)
    if f.collective:
        qs = qs.filter(collective__code=f.collective)
    if f.q:
        qs = qs.filter(Q(collective__code=f.q.upper()) | Q(collective__name__icontains=f.q))
    return qs


def rating_list(actor: Actor, filters: RatingFilters) -> QuerySet[Rating]:
    return filter_ratings(ratings_visible_to(actor), filters).select_related(
        "collective", "collective__body"
    )


def month_choices() -> list[tuple[int, str]]:
    return [(m, _("%(m)s 月") % {"m": m}) for m in range(1, 13)]


def rating_years(selected: int | None = None) -> list[int]:
    """The years the ratings list offers: this one and the five before (no index finds the
    first rating's day cheaply), and the one asked for."""
    this_year = timezone.localdate().year
    years = set(range(this_year - 5, this_year + 1))
    if selected:
        years.add(selected)
    return sorted(years, reverse=True)
