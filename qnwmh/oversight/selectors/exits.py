"""Reads over exits (退出): the back-office list (city all, a body its subtree's collectives)
and the public revocation notice — a year's exits of a revoking kind, with only what is
published (collective, body, town, level, 届次, date, category and the published reason)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.oversight.models import REVOKING_EXITS, Exit, ExitKind, RevocationCategory

RELATED = ("collective", "collective__body", "collective__town", "title", "sanction")


def exits_visible_to(actor: Actor) -> QuerySet[Exit]:
    return in_scope(
        Exit.objects.select_related(*RELATED),
        actor,
        body="collective__body",
        collective="collective",
    )


def exit_detail(actor: Actor, code: str) -> Exit:
    return get_object_or_404(exits_visible_to(actor), code=code)


@dataclass(frozen=True)
class ExitFilters:
    year: int | None = None
    kind: str = ""
    body: int | None = None

    @classmethod
    def from_query(cls, params: object) -> ExitFilters:
        q = Query(params)  # type: ignore[arg-type]
        return cls(
            year=q.number("year", low=2000, high=2100),
            kind=q.choice("kind", ExitKind.values),
            body=q.number("body"),
        )

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "kind": self.kind, "body": self.body}


def exit_list(actor: Actor, filters: ExitFilters) -> QuerySet[Exit]:
    qs = exits_visible_to(actor)
    if filters.year:
        qs = qs.filter(on__year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.body:
        qs = qs.filter(collective__body_id=filters.body)
    return qs.order_by("-on", "-id")


def exit_years(actor: Actor) -> list[int]:
    return sorted(
        {d.year for d in exits_visible_to(actor).order_by().values_list("on", flat=True)},
        reverse=True,
    )


# Public -----------------------------------------------------------------------------------------


def published_category(e: Exit) -> str:
    """What the notice names as the ground: the sanction's revocation category, else the
    exit's own kind (a failed re-review)."""
    category = e.sanction.category if e.sanction_id and e.sanction else ""
    if category in RevocationCategory.values:
        return str(RevocationCategory(category).label)
    return str(ExitKind(e.kind).label)


def revocations() -> QuerySet[Exit]:
    return Exit.objects.filter(kind__in=REVOKING_EXITS)


def revocation_years() -> list[tuple[int, int]]:
    """Each year with revocations and how many, newest first (one query)."""
    rows = (
        revocations()
        .annotate(y=ExtractYear("on"))
        .order_by()
        .values("y")
        .annotate(n=Count("id"))
        .order_by("-y")
    )
    return [(r["y"], r["n"]) for r in rows]


# What the published notice shows of a revocation (page and API): the five joined rows are
# wide, and reading all their columns cost more than finding them.
PUBLISHED_COLUMNS = (
    "on",
    "kind",
    "sanction__category",
    "collective__code",
    "collective__name",
    "collective__body__name",
    "collective__town__name",
    "title__level",
    "title__session_no",
    "title__end_reason",
)


def revocations_of(year: int) -> list[Exit]:
    """The year's revoking exits in date order, ready for the notice (one query)."""
    rows = list(
        revocations()
        .filter(on__year=year)
        .select_related(*RELATED)
        .only(*PUBLISHED_COLUMNS)
        .order_by("on", "collective__sort_key", "id")
    )
    for e in rows:
        e.category_label = published_category(e)  # type: ignore[attr-defined]
    return rows
