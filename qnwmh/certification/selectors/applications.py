"""Reads over the round and applications, scoped by the actor (404 outside scope).

Completeness per dimension is computed from the ledger (``creation.ledger.build_ledger``,
which reads the compliance tallies), never typed: each dimension looks at the ledger
categories that evidence it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.certification import progress
from qnwmh.certification.models import (
    LIVE_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    CertificationRound,
)
from qnwmh.certification.selectors import applications_visible_to
from qnwmh.collectives.models import Collective
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.prepared import Bound, prepared
from qnwmh.core.querystring import Query
from qnwmh.creation.ledger import build_ledger
from qnwmh.creation.models import LedgerCategory
from qnwmh.cycles.models import COUNTED_STATUSES, Registration
from qnwmh.knowledge.selectors import TestResult, results_for
from qnwmh.programme.models import Dimension

# Rounds -----------------------------------------------------------------------------------------


def rounds_visible_to(actor: Actor) -> QuerySet[CertificationRound]:
    """The back office sees every round (reviewers reach theirs through assignments)."""
    if actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager:
        return CertificationRound.objects.select_related("cycle", "exam")
    return CertificationRound.objects.none()


def round_detail(actor: Actor, code: str) -> CertificationRound:
    return get_object_or_404(rounds_visible_to(actor), code=code)


def round_counts(actor: Actor, r: CertificationRound) -> list[tuple[str, Any, int]]:
    """(status, label, applications) within the actor's scope, in the states' order."""
    counts = dict(
        applications_visible_to(actor)
        .filter(round=r)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [(v, label, counts.get(v, 0)) for v, label in ApplicationStatus.choices]


# Applications -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    body: int | None = None
    town: int | None = None
    area: int | None = None
    q: str = ""
    # A stage beyond the status (``certification.progress``): test passed, scored, listed…
    progress: str = ""

    @classmethod
    def from_query(cls, params: Any) -> ApplicationFilters:
        query = Query(params)
        return cls(
            status=query.choice("status", ApplicationStatus.values),
            body=query.number("body"),
            town=query.number("town"),
            area=query.number("area"),
            q=query.text("q"),
            progress=query.choice("progress", [key for key, _label in progress.choices()]),
        )


def application_list(
    actor: Actor, r: CertificationRound, filters: ApplicationFilters | None = None
) -> QuerySet[Application]:
    """The round's applications in scope, by body then the body's ranking."""
    return _listed.build(actor, r.pk, filters or ApplicationFilters())


def application_rows(
    actor: Actor, r: CertificationRound, filters: ApplicationFilters
) -> QuerySet[Application] | Bound[Application]:
    """``application_list`` to page through: compiled once per process, scope and set of
    filters (``core.prepared``), except a text search."""
    return _listed.bind_unless(filters.q, actor, r.pk, filters)


@prepared
def _listed(actor: Actor, round_id: int, f: ApplicationFilters) -> QuerySet[Application]:
    qs = applications_visible_to(actor).filter(round_id=round_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.town:
        qs = qs.filter(town_id=f.town)
    if f.area:
        qs = qs.filter(area_id=f.area)
    if f.q:
        qs = qs.filter(Q(collective__name__icontains=f.q) | Q(code=f.q))
    if f.progress:
        qs = qs.filter(progress.condition(f.progress))
    return qs.select_related("round", "collective", "body", "town", "area").order_by(
        "body__path", "body_rank", "collective__name", "id"
    )


def application_in_round(actor: Actor, code: str, app_code: str) -> Application:
    """An application of a round the actor can see, or Http404 (the round's first)."""
    r = round_detail(actor, code)
    app = get_object_or_404(
        applications_visible_to(actor)
        .filter(round=r)
        .select_related("collective", "body", "town", "area", "registration"),
        code=app_code,
    )
    app.round = r  # the loaded, scoped instance
    return app


def appliable_collectives(actor: Actor, r: CertificationRound) -> QuerySet[Collective]:
    """Collectives in the actor's charge with a filed registration in the round's cycle and
    no live application yet."""
    if not (actor.is_body_admin or actor.is_collective_manager):
        return Collective.objects.none()
    filed = Registration.objects.filter(cycle_id=r.cycle_id, status__in=COUNTED_STATUSES)
    applied = Application.objects.filter(round=r, status__in=LIVE_APPLICATION_STATUSES)
    return (
        collectives_visible_to(actor)
        .filter(id__in=filed.values("collective_id"))
        .exclude(id__in=applied.values("collective_id"))
        .order_by("name")
    )


def filter_options(actor: Actor, r: CertificationRound) -> dict[str, list[tuple[int, str]]]:
    """What can narrow the actor's list: bodies, towns and areas that occur in it."""
    rows = applications_visible_to(actor).filter(round=r)
    out: dict[str, list[tuple[int, str]]] = {}
    for key, field_id, field_name in (
        ("bodies", "body_id", "body__name"),
        ("towns", "town_id", "town__name"),
        ("areas", "area_id", "area__name"),
    ):
        # Distinct in the database: a round holds thousands of applications, a few dozen
        # bodies, towns and areas.
        distinct = rows.order_by().values_list(field_id, field_name).distinct()
        pairs = sorted(((i, n) for i, n in distinct if i is not None), key=lambda p: p[1])
        out[key] = pairs if len(pairs) > 1 else []
    return out


# The application's page -------------------------------------------------------------------------

# Which ledger categories evidence each dimension (社会评价 is the supervision figures).
DIMENSION_SOURCES: dict[str, tuple[str, ...]] = {
    Dimension.BASIC_BUILD: (LedgerCategory.PLAN,),
    Dimension.SYSTEMS: (LedgerCategory.SYSTEMS,),
    Dimension.RESULTS: (LedgerCategory.ACTIVITIES,),
    Dimension.FEATURES: (LedgerCategory.ACTIVITIES, LedgerCategory.HONOURS),
    Dimension.OUTCOMES: (LedgerCategory.SUMMARY, LedgerCategory.HONOURS),
    Dimension.PUBLIC_APPRAISAL: (),
    Dimension.LEAGUE_BUILDING: (LedgerCategory.TRAINING,),
}


@dataclass(frozen=True)
class DimensionRow:
    dimension: str
    label: Any
    assessment: Any
    complete: bool
    sources: list[tuple[Any, str]]  # (ledger category label, status)


def completeness(app: Application) -> list[DimensionRow]:
    """Per dimension: the self-assessment and whether the ledger backs it."""
    ledger = build_ledger(app.collective, app.round.cycle)
    sections = {s.category: s for s in ledger.sections}
    assessments = {
        a.dimension: a for a in app.assessments.prefetch_related("entries", "files").order_by("id")
    }
    rows = []
    for dimension, label in Dimension.choices:
        sources = [(sections[c].label, sections[c].status) for c in DIMENSION_SOURCES[dimension]]
        if dimension == Dimension.PUBLIC_APPRAISAL:
            complete = bool(app.appraisal)
        else:
            # Optional categories (honours) count only when they hold something.
            complete = any(status == "complete" for _label, status in sources)
        rows.append(DimensionRow(dimension, label, assessments.get(dimension), complete, sources))
    return rows


def test_result(app: Application) -> TestResult | None:
    exam = app.round.exam
    if exam is None:
        return None
    return results_for(exam, [app.collective_id])[app.collective_id]


def test_results(r: CertificationRound, apps: list[Application]) -> dict[int, TestResult]:
    """Test results of a page of applications: one query."""
    if r.exam is None:
        return {}
    return results_for(r.exam, [a.collective_id for a in apps])


def body_ranking(actor: Actor, r: CertificationRound) -> list[tuple[Any, list[Application]]]:
    """For a body admin: each own body's recommended applications in rank order (city admins,
    whose scope is every body, read the ranks in the list itself)."""
    if not actor.body_ids or actor.is_city_admin:
        return []
    recommended = (
        applications_visible_to(actor)
        .filter(round=r, status=ApplicationStatus.RECOMMENDED, body_id__in=actor.body_ids)
        .select_related("collective", "body")
        .order_by("body__path", "body_rank")
    )
    out: dict[int, tuple[Any, list[Application]]] = {}
    for app in recommended:
        out.setdefault(app.body_id, (app.body, []))[1].append(app)
    return list(out.values())
