"""Reads of cycles, quotas and registrations, always scoped to what the actor may see.
Figures are aggregated in the database (one GROUP BY per table), never per row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404

from qnwmh.collectives.models import Collective, CollectiveStatus, Ownership
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.prepared import Bound, prepared
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.cycles import counts as registration_counts
from qnwmh.cycles.arithmetic import cap_for
from qnwmh.cycles.models import (
    COUNTED_STATUSES,
    LIVE_STATUSES,
    BodySubmission,
    Cycle,
    Phase,
    Quota,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.orgs.models import Organisation, Town
from qnwmh.orgs.selectors import bodies_visible_to


def cycles_visible_to(actor: Actor) -> QuerySet[Cycle]:
    """City admins see every cycle; other back-office users every cycle past its draft."""
    if actor.is_city_admin:
        return Cycle.objects.all()
    if actor.is_body_admin or actor.is_collective_manager:
        return Cycle.objects.exclude(phase=Phase.DRAFT)
    return Cycle.objects.none()


@prepared
def _visible_with_code(actor: Actor, code: str) -> QuerySet[Cycle]:
    return cycles_visible_to(actor).filter(code=code)


def cycle_detail(actor: Actor, code: str) -> Cycle:
    """The cycle with this code, or Http404 if the actor may not see it (compiled once per
    process and scope: every page and API route of a cycle starts here)."""
    found = _visible_with_code.first(actor, code)
    if found is None:
        raise Http404
    return found


def cycle_with_quotas(actor: Actor, code: str) -> Cycle:
    """A cycle whose quota pages the actor may open: only the staff of bodies have quotas
    (a collective's manager has none to see), so for anyone else the page does not exist."""
    cycle = cycle_detail(actor, code)
    if not actor.is_staff_of_body:
        raise Http404
    return cycle


def current_cycle(actor: Actor) -> Cycle | None:
    """The newest cycle the actor can see that is not closed."""
    return cycles_visible_to(actor).exclude(phase=Phase.CLOSED).order_by("-session_no").first()


def registrations_visible_to(actor: Actor) -> QuerySet[Registration]:
    return in_scope(Registration.objects.all(), actor, body="body_id", collective="collective_id")


@dataclass(frozen=True)
class RegistrationFilters:
    status: str = ""
    body: int | None = None
    town: int | None = None
    q: str = ""
    # Only the registrations that hold a place (``COUNTED_STATUSES``: accepted or filed), the
    # ``used`` of the quota table.
    counted: bool = False

    @classmethod
    def from_query(cls, params: Any) -> RegistrationFilters:
        query = Query(params)
        return cls(
            status=query.choice("status", RegistrationStatus.values),
            body=query.number("body"),
            town=query.number("town"),
            q=query.text("q"),
            counted=query.choice("counted", ["1"]) == "1",
        )


def registration_list(
    actor: Actor, cycle: Cycle, filters: RegistrationFilters | None = None
) -> QuerySet[Registration]:
    return _listed.build(actor, cycle.pk, filters or RegistrationFilters())


@prepared
def _listed(actor: Actor, cycle_id: int, f: RegistrationFilters) -> QuerySet[Registration]:
    qs = registrations_visible_to(actor).filter(cycle_id=cycle_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.counted:
        qs = qs.filter(status__in=COUNTED_STATUSES)
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.town:
        qs = qs.filter(town_id=f.town)
    if f.q:
        qs = qs.filter(Q(collective__name__icontains=f.q) | Q(number__icontains=f.q))
    # The collective (a wide row of a million-row table) is read for the page's rows only:
    # joined here it would be read for every registration the sort goes through.
    return (
        qs.select_related("cycle", "body", "town")
        .prefetch_related("collective")
        .order_by("body__path", "status", "rank", "number")
    )


# The columns a row of the registrations page reads (the wide text stays in the database),
# and those a registration's JSON reads besides.
PAGE_COLUMNS = (
    "code",
    "number",
    "collective_id",
    "status",
    "special_recommendation",
    "rank",
    "eligibility",
)
API_COLUMNS = ("body_id", "ownership", "filed_at", "review_reason")


@prepared
def _value_rows(
    actor: Actor, cycle_id: int, f: RegistrationFilters, for_api: bool
) -> QuerySet[Any]:
    named = {"body_name": F("body__name"), "town_name": F("town__name")}
    if not for_api:
        named["body_short_name"] = F("body__short_name")
    return (
        _listed.build(actor, cycle_id, f)
        .select_related(None)
        .prefetch_related(None)
        .values(*PAGE_COLUMNS, *(API_COLUMNS if for_api else ()), **named)
    )


def registration_page_rows(
    actor: Actor, cycle: Cycle, filters: RegistrationFilters | None = None
) -> QuerySet[Any] | Bound[Any]:
    """``registration_list`` as the registrations page shows it, for the page to count and
    slice: one dict per row. The cycle is the page's own (not joined again on every row) and
    the wide text columns stay in the database; ``with_collective_names`` completes a page.
    Compiled once per process, scope and set of filters, except a text search."""
    f = filters or RegistrationFilters()
    return _value_rows.bind_unless(f.q, actor, cycle.pk, f, False)


def registration_api_rows(
    actor: Actor, cycle: Cycle, filters: RegistrationFilters
) -> QuerySet[Any] | Bound[Any]:
    """``registration_list`` as the API lists it: one dict per row with the columns a
    registration's JSON reads, the collective's code and name left to
    ``with_collective_names`` (objects with their cycle, body, town and collective rows cost
    ten times the query's own time to build)."""
    return _value_rows.bind_unless(filters.q, actor, cycle.pk, filters, True)


def with_collective_names(page: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of ``registration_page_rows`` (or ``registration_api_rows``) with each row's
    ``collective_name`` and ``collective_code``. They are read for the page's rows alone, by id
    (joined, or a subquery, the collective table would be read for every row the sort or the
    offset goes through), in plain SQL: through the ORM, or as the query of an ``id IN (page)``
    that carried the name, it cost a millisecond more of Python."""
    rows = [dict(r) for r in page]
    ids = sorted({r["collective_id"] for r in rows})
    found: dict[int, tuple[str, str]] = {}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, code, name FROM {Collective._meta.db_table} "
                f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            found = {pk: (code, name) for pk, code, name in cursor.fetchall()}
    for r in rows:
        r["collective_code"], r["collective_name"] = found[r["collective_id"]]
    return rows


def registration_detail(actor: Actor, cycle: Cycle, code: str) -> Registration:
    return get_object_or_404(
        registrations_visible_to(actor).select_related("cycle", "collective", "body", "town"),
        cycle=cycle,
        code=code,
    )


def registration_in_cycle(actor: Actor, code: str, reg_code: str) -> Registration:
    """A registration of a cycle the actor can see, or Http404 (the cycle's first)."""
    cycle = cycle_detail(actor, code)
    reg = registration_detail(actor, cycle, reg_code)
    reg.cycle = cycle  # the loaded, scoped instance
    return reg


def list_with_body(cycle_id: int, body_id: int) -> bool:
    """Whether the body's list is still with the body: not yet sent to the city (or sent back)."""
    status = (
        BodySubmission.objects.filter(cycle_id=cycle_id, body_id=body_id)
        .values_list("status", flat=True)
        .first()
    )
    return status is None or status in (SubmissionStatus.OPEN, SubmissionStatus.RETURNED)


@dataclass(frozen=True)
class BodyList:
    """A body's list of registrations in a cycle (推报名单), as the pages that act on it
    address it: by cycle and body, whether or not the list has been submitted yet."""

    cycle: Cycle
    body: Organisation


def body_list(actor: Actor, code: str, body_id: int) -> BodyList:
    """The list of a body the actor can see in a cycle it can see, or Http404."""
    cycle = cycle_detail(actor, code)
    return BodyList(cycle, get_object_or_404(bodies_visible_to(actor), pk=body_id))


def body_submission(actor: Actor, cycle: Cycle, body_id: int) -> BodySubmission:
    """The list a body has sent (or had sent back) in the cycle, within the actor's scope."""
    return get_object_or_404(
        in_scope(BodySubmission.objects.filter(cycle=cycle), actor, body="body_id").select_related(
            "body"
        ),
        body_id=body_id,
    )


def fileable_collectives(actor: Actor, cycle: Cycle) -> QuerySet[Collective]:
    """Collectives the actor may file for that have no live registration in the cycle."""
    qs = collectives_visible_to(actor).filter(status=CollectiveStatus.ACTIVE)
    if actor.is_city_admin:
        qs = qs.none()  # the city does not file; bodies and managers do
    live = Registration.objects.filter(cycle=cycle, status__in=LIVE_STATUSES).values(
        "collective_id"
    )
    return qs.exclude(id__in=live).select_related("body", "town")


def quotas_visible_to(actor: Actor, cycle: Cycle) -> QuerySet[Quota]:
    return in_scope(Quota.objects.filter(cycle=cycle), actor, body="body_id")


def quota_detail(actor: Actor, code: str, quota_id: int) -> Quota:
    """A body's quota in a cycle the actor can see, within its scope, or Http404."""
    cycle = cycle_detail(actor, code)
    quota = get_object_or_404(quotas_visible_to(actor, cycle), pk=quota_id)
    quota.cycle = cycle  # the loaded, scoped instance: no second query
    return quota


def quota_table(actor: Actor, cycle: Cycle) -> list[Any]:
    """Quotas with ``used`` (accepted or filed), ``pending`` (awaiting review), ``special``
    and ``cap`` (the 2:1 certification cap) on each row, and the status of the body's list
    (``submission_status``); one query whatever the size, the figures from the kept counts
    (``qnwmh.cycles.counts``)."""
    rows = _quota_rows(actor, cycle, ("body", "body__town", "body__sector"), submission=True)
    for q in rows:
        q.submission_status = q.submission_status or SubmissionStatus.OPEN.value
    return rows


def _quota_rows(
    actor: Actor,
    cycle: Cycle,
    related: tuple[str, ...],
    *,
    submission: bool = False,
    cycle_totals: bool = False,
) -> list[Any]:
    """The quota rows in the actor's scope with their figures (``used``, ``pending``,
    ``special``, ``cap``), in one statement: each figure a subquery on the kept counts'
    (cycle, body, …) index (``counts.summed``). ``submission`` adds the body's list
    (``submission_id``, ``submission_status``, ``submission_reason``, NULL before the first
    submission); ``cycle_totals`` the cycle's counted registrations over every body, with a
    quota or not (``cycle_n``, ``cycle_special``: the same on every row, computed once)."""
    ratio = int(cycle.rule("registration_ratio", 2))
    body = f"{Quota._meta.db_table}.body_id"
    counted = list(COUNTED_STATUSES)
    figures: dict[str, Any] = {
        "used": registration_counts.summed(cycle.pk, body=body, statuses=counted),
        "pending": registration_counts.summed(
            cycle.pk, body=body, statuses=[RegistrationStatus.SUBMITTED]
        ),
        "special": registration_counts.summed(cycle.pk, body=body, statuses=counted, special=True),
    }
    if submission:
        lists = BodySubmission._meta.db_table
        for name, output in (
            ("id", IntegerField()),
            ("status", CharField()),
            ("reason", TextField()),
        ):
            # (cycle, body) is unique: one list at most.
            figures[f"submission_{name}"] = RawSQL(
                f"SELECT {name} FROM {lists} WHERE cycle_id = %s AND body_id = {body}",
                [cycle.pk],
                output,
            )
    if cycle_totals:
        figures["cycle_n"] = registration_counts.summed(cycle.pk, statuses=counted)
        figures["cycle_special"] = registration_counts.summed(
            cycle.pk, statuses=counted, special=True
        )
    quotas = quotas_visible_to(actor, cycle)
    if related:  # (``select_related()`` without names would follow every foreign key)
        quotas = quotas.select_related(*related)
    rows: list[Any] = list(quotas.annotate(**figures).order_by("body__path"))
    for q in rows:
        q.used = q.used or 0
        q.pending = q.pending or 0
        q.special = q.special or 0
        q.cap = cap_for(q.used, ratio)
    return rows


def own_body_lists(actor: Actor, cycle: Cycle) -> list[Any]:
    """For a body admin, the quota row of each of its bodies with the body's list
    (``submission``, or None before the first submission) and its accepted registrations in
    rank order (``accepted_regs``); empty for anyone else. The same queries whatever the size
    (the accepted registrations are not read when no list is still with its body)."""
    if not actor.is_body_admin:
        return []
    rows = _quota_rows(actor, cycle, ("body",), submission=True)
    for q in rows:
        # The list as the page shows it (its status and reason), read with the quota.
        q.submission = (
            BodySubmission(
                pk=q.submission_id,
                cycle=cycle,
                body_id=q.body_id,
                status=q.submission_status,
                reason=q.submission_reason,
            )
            if q.submission_id is not None
            else None
        )
        q.submission_status = q.submission_status or SubmissionStatus.OPEN.value
    # Only a list still with its body can be reordered, so only its registrations are shown.
    with_body = [
        q.body_id
        for q in rows
        if q.submission_status in (SubmissionStatus.OPEN, SubmissionStatus.RETURNED)
    ]
    accepted: dict[int, list[Registration]] = {}
    if with_body:
        for reg in _accepted_to_rank.rows(cycle.pk, tuple(with_body)):
            accepted.setdefault(reg.body_id, []).append(reg)
    for q in rows:
        q.accepted_regs = accepted.get(q.body_id, [])
    return rows


@prepared
def _accepted_to_rank(cycle_id: int, body_ids: tuple[int, ...]) -> QuerySet[Registration]:
    """The accepted registrations of these bodies' lists, as a body admin ranks them."""
    return (
        Registration.objects.filter(
            cycle_id=cycle_id, body_id__in=body_ids, status=RegistrationStatus.ACCEPTED
        )
        .select_related("collective")
        .only("code", "number", "rank", "body_id", "collective__name")
        .order_by("rank", "number")
    )


@dataclass
class CapFigures:
    ratio: int
    accepted: int
    cap: int
    special: int
    quota_total: int
    sum_of_body_caps: int
    bodies: list[dict[str, Any]] = field(default_factory=list)


def cap_figures(actor: Actor, cycle: Cycle, *, bodies: bool = True) -> CapFigures:
    """The 2:1 cap per body (the actor's bodies, or all for the city) and city-wide.
    City-wide: floor(all accepted ÷ ratio) over the whole cycle; special recommendations
    count inside the cap and are reported separately. One query (two for a cycle without
    quotas). ``bodies=False``: the totals only (``bodies`` empty, the bodies not read)."""
    ratio = int(cycle.rule("registration_ratio", 2))
    related = ("body",) if bodies else ()
    rows = _quota_rows(actor, cycle, related, cycle_totals=actor.is_city_admin)
    if actor.is_city_admin:
        totals = (
            {"n": rows[0].cycle_n or 0, "special": rows[0].cycle_special or 0}
            if rows
            else registration_counts.totals(cycle.pk, COUNTED_STATUSES)
        )
    else:
        totals = {
            "n": sum(q.used for q in rows),
            "special": sum(q.special for q in rows),
        }
    return CapFigures(
        ratio=ratio,
        accepted=totals["n"],
        cap=cap_for(totals["n"], ratio),
        special=totals["special"],
        quota_total=sum(q.final for q in rows),
        sum_of_body_caps=sum(q.cap for q in rows),
        bodies=[
            {
                "body": q.body,
                "quota": q.final,
                "accepted": q.used,
                "cap": q.cap,
                "special": q.special,
            }
            for q in rows
            if bodies
        ],
    )


@dataclass
class TownRow:
    town: Town
    by_ownership: dict[str, int]
    total: int
    non_public: int
    previous_non_public: int | None
    required: int

    @property
    def meets(self) -> bool:
        return self.non_public >= self.required

    @property
    def change(self) -> int | None:
        return (
            None if self.previous_non_public is None else self.non_public - self.previous_non_public
        )


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.filter(session_no__lt=cycle.session_no).order_by("-session_no").first()


def town_view(cycle: Cycle) -> list[TownRow]:
    """For each active town: live registrations by ownership, the non-public count against
    the rule, and the change in non-public registrations from the previous cycle
    (counted registrations there). Four queries whatever the size, from the kept counts."""
    required = int(cycle.rule("nonpublic_min_per_town", 1))
    counts: dict[int, dict[str, int]] = {}
    for town_id, ownership, n in registration_counts.by_town_and_ownership(cycle.pk, LIVE_STATUSES):
        counts.setdefault(town_id, {})[ownership] = n
    prev = previous_cycle(cycle)
    prev_counts: dict[int, int] | None = None
    if prev is not None:
        prev_counts = registration_counts.by_town(prev.pk, COUNTED_STATUSES, Ownership.NON_PUBLIC)
    rows = []
    for town in Town.objects.filter(active=True):
        by = counts.get(town.pk, {})
        rows.append(
            TownRow(
                town=town,
                by_ownership={o: by.get(o, 0) for o in Ownership.values},
                total=sum(by.values()),
                non_public=by.get(Ownership.NON_PUBLIC, 0),
                previous_non_public=None if prev_counts is None else prev_counts.get(town.pk, 0),
                required=required,
            )
        )
    return rows
