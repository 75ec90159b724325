"""Reads of the spot checks and visits. Draws are public facts (the seed and the population
are published); visits are scoped: the city all, a body admin its subtree's collectives, a
collective's managers their own collective's — covert ones only once closed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Ownership, Title
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Sector, Town
from qnwmh.oversight import draw as sampling
from qnwmh.oversight.models import SpotCheck, Visit, VisitReason, VisitResult, VisitStatus

# Draws ---------------------------------------------------------------------------------------


def spot_checks() -> QuerySet[SpotCheck]:
    """Every draw, newest first; the stored population stays unread until asked for."""
    return (
        SpotCheck.objects.select_related("drawn_by")
        .defer("population")
        .order_by("-year", "-drawn_at")
    )


@dataclass(frozen=True)
class VisitCounts:
    total: int = 0
    closed: int = 0
    failed: int = 0


def visit_counts(check_ids: list[int]) -> dict[int, VisitCounts]:
    """Each draw's visits counted (one query), apart from the draws themselves: grouping the
    draws' rows by their columns would group by the stored population too."""
    rows = (
        Visit.objects.filter(spot_check_id__in=check_ids)
        .values("spot_check_id")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(status=VisitStatus.CLOSED)),
            failed=Count("id", filter=Q(result=VisitResult.FAILED)),
        )
    )
    return {r["spot_check_id"]: VisitCounts(r["total"], r["closed"], r["failed"]) for r in rows}


def spot_check_detail(actor: Actor, code: str) -> SpotCheck:
    return get_object_or_404(spot_checks(), code=code)


def public_spot_check(actor: Actor, code: str) -> SpotCheck:
    """Anyone may see a draw: its seed and population are published for checking."""
    return get_object_or_404(SpotCheck.objects.defer("population"), code=code)


@dataclass(frozen=True)
class StratumRow:
    key: str
    town: str
    sector: str
    ownership: str
    size: int
    count: int
    drawn: int  # what the stored draw took from it (equals ``count``)


@dataclass(frozen=True)
class Summary:
    size: int
    strata: list[tuple[sampling.Stratum, int]]  # each stratum with what the draw took from it


def summary(check: SpotCheck) -> Summary:
    """The population's size and strata. A draw never changes once stored, so it is kept
    in the cache under its code, and the population (100,000 rows in a big city) is read
    only when the cache does not have it."""
    # A page asks for the size and the strata apart: the draw's object keeps what the cache
    # answered for the rest of the request, so the cache is read once.
    kept: Summary | None = getattr(check, "_summary", None)
    if kept is not None:
        return kept
    key = f"oversight:spotcheck:summary:{check.code}"
    hit = cache.get(key)
    if hit is None:
        if "population" in check.get_deferred_fields():
            check.refresh_from_db(fields=["population"])
        units = sampling.units_from(check.population)
        drawn = set(check.drawn)
        taken = Counter(u.key for u in units if u.title_id in drawn)
        hit = Summary(len(units), [(s, taken[s.key]) for s in sampling.strata(units, check.pct)])
        cache.set(key, hit, timeout=None)
    check._summary = hit  # type: ignore[attr-defined]
    return hit


def strata_table(check: SpotCheck) -> list[StratumRow]:
    """The strata of a draw with readable names (one query)."""
    rows = summary(check).strata
    # The towns' and the sectors' names in one statement.
    names = (
        Town.objects.filter(id__in={s.town_id for s, _ in rows})
        .annotate(table=Value("t"))
        .values_list("table", "id", "name")
        .order_by()
        .union(
            Sector.objects.filter(id__in={s.sector_id for s, _ in rows if s.sector_id})
            .annotate(table=Value("s"))
            .values_list("table", "id", "name")
            .order_by(),
            all=True,
        )
    )
    towns: dict[int, str] = {}
    sectors: dict[int, str] = {}
    for table, pk, name in names:
        (towns if table == "t" else sectors)[pk] = name
    # The labels translated once, not an enum lookup per stratum.
    ownership = {value: str(label) for value, label in Ownership.choices}
    return [
        StratumRow(
            key=s.key,
            town=towns.get(s.town_id, str(s.town_id)),
            sector=sectors.get(s.sector_id, "—") if s.sector_id else "—",
            ownership=ownership.get(s.ownership, s.ownership),
            size=s.size,
            count=s.count,
            drawn=drawn,
        )
        for s, drawn in rows
    ]


@dataclass(frozen=True)
class SampleRow:
    title_id: int
    collective: str
    town: str
    required: bool  # in for an upheld complaint, on top of the random sample


def sample_rows(check: SpotCheck) -> list[SampleRow]:
    """The sample's collectives by name (what the public page lists), one query."""
    ids = [*check.drawn, *check.upheld]
    names = {
        t["id"]: t
        for t in Title.objects.filter(id__in=ids).values(
            "id", "collective__name", "collective__town__name"
        )
    }
    upheld = set(check.upheld)
    out = []
    for i in ids:
        t = names.get(i)
        if t is not None:
            out.append(
                SampleRow(i, t["collective__name"], t["collective__town__name"], i in upheld)
            )
    return out


def exempt_titles(exempt: dict[int, str]) -> list[tuple[Title, str]]:
    """The exempt titles (from ``services.spotcheck.population``) with their reasons."""
    titles = Title.objects.filter(id__in=list(exempt)).select_related("collective__body")
    return [(t, exempt[t.id]) for t in titles.order_by("collective__sort_key")]


# Visits --------------------------------------------------------------------------------------


def visits_visible_to(actor: Actor) -> QuerySet[Visit]:
    """The visits the actor reaches. A manager never sees a covert visit before it is
    closed: the visit must not warn the collective."""
    return in_scope(
        Visit.objects.all(),
        actor,
        body="collective__body",
        collective="collective",
        own=Q(covert=False) | Q(status=VisitStatus.CLOSED),
    )


def _related(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    # A draw's stored population and samples (100,000 rows of JSON in a big city) are never
    # shown with a visit: decoding them for every row cost 3.6 s of a list page.
    return qs.select_related(
        "spot_check", "title", "collective__body", "collective__town", "recorded_by", "closed_by"
    ).defer("spot_check__population", "spot_check__drawn", "spot_check__upheld")


def visit_detail(actor: Actor, code: str) -> Visit:
    return get_object_or_404(_related(visits_visible_to(actor)), code=code)


COVERT_CHOICES = ("covert", "announced")
# A visit's conclusion as the list filters on it: recorded passed or failed, or none yet (a
# visit planned or not yet recorded), so a year's visits split into three without a gap.
PENDING = "pending"
RESULT_CHOICES: list[tuple[str, Any]] = [*VisitResult.choices, (PENDING, _("未出结论"))]


@dataclass(frozen=True)
class VisitFilters:
    year: int | None = None
    status: str = ""
    result: str = ""
    covert: str = ""
    body: str = ""
    check: str = ""
    reason: str = ""

    @classmethod
    def from_query(cls, data: Any) -> VisitFilters:
        q = Query(data)
        return cls(
            year=q.number("year", low=2000, high=2100),
            status=q.choice("status", VisitStatus.values),
            result=q.choice("result", [value for value, _label in RESULT_CHOICES]),
            covert=q.choice("covert", COVERT_CHOICES),
            body=q.text("body", max_length=12),
            check=q.text("check", max_length=12),
            reason=q.choice("reason", VisitReason.values),
        )

    @property
    def any(self) -> bool:
        return any(
            (self.year, self.status, self.result, self.covert, self.body, self.check, self.reason)
        )


def visit_list(actor: Actor, filters: VisitFilters) -> QuerySet[Visit]:
    qs = _related(visits_visible_to(actor))
    if filters.year:
        qs = qs.filter(
            Q(spot_check__year=filters.year)
            | Q(spot_check__isnull=True, created_at__year=filters.year)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.result == PENDING:
        qs = qs.filter(result="")
    elif filters.result:
        qs = qs.filter(result=filters.result)
    if filters.reason:
        qs = qs.filter(reason=filters.reason)
    if filters.covert:
        qs = qs.filter(covert=filters.covert == "covert")
    if filters.body:
        qs = qs.filter(collective__body__code=filters.body)
    if filters.check:
        qs = qs.filter(spot_check__code=filters.check)
    return qs.order_by("status", "planned_on", "-id")


# What a row of the visit list shows: the draw, the title, the town and the recorders the
# detail page joins cost a model each per row and are never read there.
VISIT_LIST_COLUMNS = (
    "id",
    "code",
    "reason",
    "covert",
    "status",
    "planned_on",
    "result",
    "collective__name",
    "collective__body__name",
    "collective__body__short_name",
)


def visit_rows(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """``visit_list`` as a list's rows, with only what a row shows: for the first page, whose
    rows an index walk finds from its start, so the joins are made for those rows alone."""
    return visits.select_related(None).select_related("collective__body").only(*VISIT_LIST_COLUMNS)


def visits_in_order(ids: list[int]) -> list[Visit]:
    """The visits with these ids (a page found on ``visit_list_order`` alone), in that order:
    the joins are made for the page's rows, not for every row the offset skips."""
    by_id = {
        v.pk: v
        for v in Visit.objects.filter(pk__in=ids)
        .select_related("collective__body")
        .only(*VISIT_LIST_COLUMNS)
    }
    return [by_id[i] for i in ids]


def visit_years() -> list[int]:
    return sorted(set(SpotCheck.objects.values_list("year", flat=True)), reverse=True)


def body_choices(actor: Actor) -> list[tuple[str, str]]:
    """Bodies the visit list may narrow to: those in the actor's reach (asking which have
    visits meant reading every visit of the city on each page)."""
    from qnwmh.orgs.selectors import bodies_visible_to

    return list(bodies_visible_to(actor).order_by("name").values_list("code", "name"))


def inspectable_titles(actor: Actor) -> QuerySet[Title]:
    """Active titles an inspector may visit outside a draw."""
    from qnwmh.collectives.models import TitleStatus

    titles = Title.objects.filter(status=TitleStatus.ACTIVE).select_related("collective")
    return in_scope(titles, actor, body="collective__body")
