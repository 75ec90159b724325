"""Reads of collectives, always starting from what the actor may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives import facets as kept_facets
from qnwmh.collectives.models import (
    HIGHER_LEVELS,
    STARS,
    Collective,
    CollectiveStatus,
    Eligibility,
    Level,
    Member,
    Ownership,
    Title,
    TitleStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.collation import pinyin_sorted
from qnwmh.core.panels import OFFICE_COLLECTIVE, OFFICE_COLLECTIVE_HISTORY, with_probes
from qnwmh.core.prepared import Bound, prepared
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope, scope_key
from qnwmh.orgs.models import Organisation, Sector, Town


def public_collectives() -> QuerySet[Collective]:
    """Collectives with a public page: every collective in service (a creating collective posts
    its notice board with this page's QR code too, so the public can supervise it), and every
    archived one that once held a title (its history stays public). Here, below the apps that
    publish about collectives, so each of them shows only what the public site does."""
    return Collective.objects.filter(
        Q(status=CollectiveStatus.ACTIVE) | Exists(Title.objects.filter(collective=OuterRef("pk")))
    )


def collectives_visible_to(actor: Actor) -> QuerySet[Collective]:
    """The one scoping function for collectives: city admins all, body admins their bodies'
    collectives, collective managers their own; everyone else none."""
    return in_scope(Collective.objects.all(), actor, body="body_id", collective="id")


@dataclass(frozen=True)
class CollectiveFilters:
    q: str = ""
    body: int | None = None
    town: int | None = None
    sector: int | None = None
    ownership: str = ""
    level: str = ""
    # With ``level``: the active title at that level has this many stars; alone: any active
    # title has. 0 is a value (a title whose last star a sanction took away), None no filter.
    stars: int | None = None
    eligibility: str = ""
    status: str = ""
    # On the register at the end of this day (``on_register``); None: as they are now.
    active_on: datetime.date | None = None

    @classmethod
    def from_query(cls, params: Any) -> CollectiveFilters:
        query = Query(params)
        return cls(
            q=query.text("q"),
            body=query.number("body"),
            town=query.number("town"),
            sector=query.number("sector"),
            ownership=query.choice("ownership", Ownership.values),
            level=query.choice("level", [*Level.values, "none"]),
            stars=query.number("stars", low=STARS[0], high=STARS[-1]),
            eligibility=query.choice("eligibility", Eligibility.values),
            status=query.choice("status", CollectiveStatus.values),
            active_on=query.date("active_on"),
        )


def star_choices() -> list[tuple[int, str]]:
    """The stars a title in force may hold, as filter options ("2 星")."""
    return [(n, gettext("%(n)s 星") % {"n": n}) for n in STARS]


def active_titles_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "titles",
        queryset=Title.objects.active().order_by("level"),
        to_attr="active_titles",
    )


def text_search_condition(q: str, *fields: str) -> Q:
    """Substring search over ``fields``. A query with no letter case (Chinese, digits) is
    matched with plain LIKE: the same rows as ``icontains``, without UPPER() on every row, and
    served by the plain trigram indexes (migration 0003); other text uses ``icontains``."""
    lookup = "contains" if q.upper() == q.lower() else "icontains"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": q})
    return condition


def filter_collectives(qs: QuerySet[Collective], f: CollectiveFilters) -> QuerySet[Collective]:
    if f.q:
        qs = qs.filter(text_search_condition(f.q, "name", "work_unit"))
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.town:
        qs = qs.filter(town_id=f.town)
    if f.sector:
        qs = qs.filter(sector_id=f.sector)
    if f.ownership:
        qs = qs.filter(ownership=f.ownership)
    if f.eligibility:
        qs = qs.filter(eligibility=f.eligibility)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.level == "none":
        qs = qs.exclude(Exists(Title.objects.active().filter(collective=OuterRef("pk"))))
    if f.level not in ("", "none") or f.stars is not None:
        # One title must match both: "city, 3 stars" is not a city title and a 3-star one.
        title: dict[str, Any] = {"level": f.level} if f.level not in ("", "none") else {}
        if f.stars is not None:
            title["stars"] = f.stars
        qs = qs.filter(
            Exists(
                Title.objects.filter(collective=OuterRef("pk"), status=TitleStatus.ACTIVE, **title)
            )
        )
    if f.active_on:
        qs = on_register(qs, f.active_on)
    return qs


# The audited changes of a collective's status: archiving (only allowed from active), and an
# edit whose entry holds the status (an entry keeps only the fields that changed).
_STATUS_CHANGES = Q(code="collectives.collective.archived") | Q(
    code="collectives.collective.updated", before__has_key="status"
)
# What such a change says the status was just before it.
_STATUS_BEFORE = Case(
    When(code="collectives.collective.archived", then=Value(CollectiveStatus.ACTIVE.value)),
    default=KT("before__status"),
    output_field=CharField(),
)


def on_register(qs: QuerySet[Collective], day: datetime.date) -> QuerySet[Collective]:
    """The collectives of ``qs`` on the register at the end of ``day``: created by then and
    active then. A collective's status on a past day is the one the first audited change of
    its status after that day started from (archiving and every edit are audited, and no
    other path writes the status), else its status now."""
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end += datetime.timedelta(days=1)
    first_change_after = (
        AuditEntry.objects.filter(
            _STATUS_CHANGES,
            object_type=Collective._meta.label_lower,
            object_id=Cast(OuterRef("pk"), CharField()),
            at__gte=end,
        )
        .order_by("at", "id")
        .annotate(status_before=_STATUS_BEFORE)
        .values("status_before")[:1]
    )
    return (
        qs.filter(created_at__lt=end)
        .alias(status_then=Coalesce(Subquery(first_change_after), "status"))
        .filter(status_then=CollectiveStatus.ACTIVE)
    )


def collective_list(actor: Actor, filters: CollectiveFilters) -> QuerySet[Collective]:
    qs = filter_collectives(collectives_visible_to(actor), filters)
    return qs.select_related("body", "town", "sector").prefetch_related(active_titles_prefetch())


# What a row of the back-office list renders.
LIST_COLUMNS = (
    "id",
    "code",
    "name",
    "status",
    "work_unit",
    "ownership",
    "member_count",
    "eligibility",
    "body__name",
    "body__short_name",
    "town__name",
)


@prepared
def _ids_in_order(actor: Actor, filters: CollectiveFilters) -> QuerySet[Any]:
    return filter_collectives(collectives_visible_to(actor), filters).values_list("id", flat=True)


def collective_ids(actor: Actor, filters: CollectiveFilters) -> QuerySet[Any] | Bound[Any]:
    """The ids of the back-office list's collectives in its order, to page through. Compiled
    once per process, scope and set of filters (``core.prepared``), except a text search."""
    return _ids_in_order.bind_unless(filters.q, actor, filters)


# What a row shows of a title.
TITLE_COLUMNS = ("collective_id", "level", "stars")


@prepared
def _list_rows(ids: tuple[int, ...]) -> QuerySet[Collective]:
    return Collective.objects.filter(pk__in=ids).select_related("body", "town").only(*LIST_COLUMNS)


@prepared
def _active_titles(ids: tuple[int, ...], for_list: bool) -> QuerySet[Title]:
    titles = Title.objects.active().filter(collective_id__in=ids)
    # The back-office list shows a title's level and stars, highest level first (as
    # ``active_titles_prefetch``); the public pages whole titles, latest first.
    return titles.only(*TITLE_COLUMNS).order_by("level") if for_list else titles


def with_active_titles(collectives: list[Collective], *, for_list: bool = False) -> None:
    """Set each fetched collective's ``active_titles`` in one query, compiled once per process
    (``core.prepared``): a prefetch builds and compiles its query on every page."""
    by_id = {c.pk: c for c in collectives}
    for c in collectives:
        c.active_titles = []  # type: ignore[attr-defined]
    if by_id:
        for t in _active_titles.rows(tuple(by_id), for_list):
            by_id[t.collective_id].active_titles.append(t)  # type: ignore[attr-defined]


def collectives_in_order(ids: list[int]) -> list[Collective]:
    """The collectives with these ids (a page found on an index of the list's order), in that
    order, with only the columns a row shows and their active titles: the page's rows are
    joined, not every row the offset skips. Both queries are compiled once per process and
    length of page (``core.prepared``)."""
    by_id = {c.pk: c for c in _list_rows.rows(tuple(ids))}
    with_active_titles(list(by_id.values()), for_list=True)
    return [by_id[i] for i in ids]


@prepared
def _visible_with_code(actor: Actor, code: str, probes: bool) -> QuerySet[Collective]:
    qs = collectives_visible_to(actor).select_related("body", "town", "sector")
    if probes:
        qs = with_probes(qs, OFFICE_COLLECTIVE, OFFICE_COLLECTIVE_HISTORY)
    return qs.filter(code=code)


def collective_detail(actor: Actor, code: str) -> Collective:
    """The collective with this code, or Http404 if the actor may not see it (compiled once
    per process and scope: every page about a collective starts here)."""
    found = _visible_with_code.first(actor, code, False)
    if found is None:
        raise Http404
    return found


def collective_page(actor: Actor, code: str) -> Collective:
    """``collective_detail`` with, in the same query, whether each of its office page's panels
    has rows (``core.panels.with_probes``): empty panels then cost no query."""
    found = _visible_with_code.first(actor, code, True)
    if found is None:
        raise Http404
    return found


def member_detail(actor: Actor, code: str, member_id: int) -> Member:
    """A current member of a collective the actor can see, or Http404."""
    collective = collective_detail(actor, code)
    member = get_object_or_404(collective.members.current(), pk=member_id)
    member.collective = collective  # the loaded, scoped instance: no second query
    return member


def title_detail(actor: Actor, code: str, title_code: str) -> Title:
    """A title of a collective the actor can see, or Http404."""
    collective = collective_detail(actor, code)
    title = get_object_or_404(collective.titles.all(), code=title_code)
    title.collective = collective  # the loaded, scoped instance: no second query
    return title


def current_members(collective: Collective) -> QuerySet[Member]:
    return collective.members.current()


def title_history(collective: Collective) -> QuerySet[Title]:
    return collective.titles.all()


def holds_higher_title(titles: list[Title]) -> bool:
    """A provincial or national title keeps the city title automatically (自然保留)."""
    return any(t.level in HIGHER_LEVELS and t.status == TitleStatus.ACTIVE for t in titles)


NARROWING = ("bodies", "towns", "sectors", "ownerships", "eligibilities")
# The collectives list's own filter bar: the shared facets and the collective's status.
LIST_FACETS = (*NARROWING, "statuses")


def filter_choices(actor: Actor, facets: tuple[str, ...] = NARROWING) -> dict[str, Any]:
    """The options of a filter bar over the actor's collectives (and what hangs off them:
    registrations, complaints): only the bodies, towns, sectors, ownerships and eligibility
    states that occur in its scope, each in pinyin order. A filter with fewer than two options
    cannot narrow anything and comes back empty, so the template leaves it out; bodies, towns and
    sectors come as ``(pk, name)`` pairs, as ``{% options %}`` takes them. The manager of
    one collective gets no filter bar at all (``narrowable`` is false). ``facets`` names the
    filters a page shows; the others come back empty without being asked for. What occurs is
    kept per scope (``facets.found``); the labels are put on in the reader's language."""
    out: dict[str, Any] = {"narrowable": False, **{name: [] for name in LIST_FACETS}}
    scoped = collectives_visible_to(actor).order_by()
    if scoped.query.is_empty():
        return out
    wanted = tuple(sorted(set(facets) & set(LIST_FACETS)))
    there = kept_facets.found(scope_key(actor), wanted, lambda: _occurring(scoped, wanted))

    def keep(items: list[Any]) -> list[Any]:
        return items if len(items) > 1 else []

    out["narrowable"] = there["several"]
    for name in ("bodies", "towns", "sectors"):
        out[name] = keep(there.get(name, []))
    for column, choices in (
        ("ownership", Ownership.choices),
        ("eligibility", Eligibility.choices),
        ("status", CollectiveStatus.choices),
    ):
        if column in there:
            out[FACET_OF[column]] = keep([c for c in choices if c[0] in there[column]])
    return out


def _occurring(scoped: QuerySet[Collective], facets: tuple[str, ...]) -> dict[str, Any]:
    """Whether ``scoped`` holds more than one collective, and which of the facets' bodies,
    towns, sectors and column values occur in it (the rows without labels, so they keep in any
    language)."""
    # Each option is asked for by an EXISTS probe on an index (bodies, towns, sectors by their
    # rows; ownerships, eligibility states and "more than one" in one statement): a DISTINCT
    # over the five columns read every collective in scope, 100 ms at 100,000.

    def present(model: Any, field: str) -> QuerySet[Any]:
        return model.objects.filter(Exists(scoped.filter(**{field: OuterRef("pk")})))

    columns = {
        "ownership": Ownership.values,
        "eligibility": Eligibility.values,
        "status": CollectiveStatus.values,
    }
    wanted = {c: v for c, v in columns.items() if FACET_OF[c] in facets}
    several, there = _probe(scoped, wanted)
    out: dict[str, Any] = {"several": several, **there}
    # Kept as (pk, name) pairs, what a select's options need: reading model instances back
    # out of the cache cost over ten times as much.
    if "bodies" in facets:
        bodies = present(Organisation, "body_id").values_list("id", "name")
        out["bodies"] = pinyin_sorted(bodies, key=lambda pair: pair[1])
    if "towns" in facets:
        out["towns"] = list(present(Town, "town_id").values_list("id", "name"))
    if "sectors" in facets:
        out["sectors"] = list(present(Sector, "sector_id").values_list("id", "name"))
    return out


FACET_OF = {"ownership": "ownerships", "eligibility": "eligibilities", "status": "statuses"}


def _probe(
    scoped: QuerySet[Collective], columns: dict[str, list[str]]
) -> tuple[bool, dict[str, set[str]]]:
    """Whether ``scoped`` holds more than one collective, and which of each column's values
    occur in it: one SELECT of EXISTS probes."""
    sql, first = scoped.values("id")[1:2].query.sql_with_params()
    probes: list[str] = [f"EXISTS({sql})"]
    params: list[Any] = list(first)
    keys: list[tuple[str, str]] = []
    for column, values in columns.items():
        for value in values:
            sql, p = scoped.filter(**{column: value}).values("id")[:1].query.sql_with_params()
            probes.append(f"EXISTS({sql})")
            params.extend(p)
            keys.append((column, value))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(probes), params)
        several, *found = cursor.fetchone()
    out: dict[str, set[str]] = {column: set() for column in columns}
    for (column, value), there in zip(keys, found, strict=True):
        if there:
            out[column].add(value)
    return bool(several), out
