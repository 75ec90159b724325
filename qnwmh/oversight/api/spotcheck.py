"""API of the spot checks (``/api/v1/oversight/...``), through the same selectors and services
as the pages: the draws (list, read, draw — the city's), the visits (list, read, plan, record,
close — scoped as the pages: a manager reads its own collective's, covert ones only once
closed) and the public reproduction of a draw (no token)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.core.actor import Actor
from qnwmh.core.apischema import (
    CodeStr,
    Line,
    Page,
    PageQuery,
    Text,
    api_actor,
    errors,
    page_of,
    public_errors,
)
from qnwmh.core.permissions import require
from qnwmh.core.prepared import prepared
from qnwmh.oversight.models import SpotCheck, Visit, VisitResult, VisitStatus
from qnwmh.oversight.selectors import spotcheck as sel
from qnwmh.oversight.services import spotcheck as services

router = Router(tags=["oversight"])

SeedStr = Annotated[str, Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")]

if TYPE_CHECKING:
    VisitStatusStr = str
    VisitResultStr = str
    ChecklistStr = str
else:
    VisitStatusStr = Literal[tuple(VisitStatus.values)]
    VisitResultStr = Literal[tuple(VisitResult.values)]
    ChecklistStr = Literal[tuple(services.CHECKLIST_KEYS)]


# Draws ---------------------------------------------------------------------------------------


class SpotCheckOut(Schema):
    code: CodeStr
    year: int
    pct: int
    seed: str
    population: int
    drawn: list[int]
    upheld: list[int]
    note: str
    drawn_at: datetime.datetime


class SpotCheckStratumOut(Schema):
    key: str
    town: str
    sector: str
    ownership: str
    size: int
    count: int


class SpotCheckDetailOut(SpotCheckOut):
    strata: list[SpotCheckStratumOut]


class SpotCheckDrawIn(Schema):
    year: int = Field(ge=2000, le=2100)
    pct: int | None = Field(default=None, ge=1, le=100)
    seed: SeedStr | None = None
    note: Text = Field(default="", max_length=2000)


def _check_out(c: SpotCheck) -> dict[str, Any]:
    return {
        "code": c.code,
        "year": c.year,
        "pct": c.pct,
        "seed": c.seed,
        "population": sel.summary(c).size,
        "drawn": c.drawn,
        "upheld": c.upheld,
        "note": c.note,
        "drawn_at": c.drawn_at,
    }


def _strata_out(c: SpotCheck) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "town": s.town,
            "sector": s.sector,
            "ownership": s.ownership,
            "size": s.size,
            "count": s.count,
        }
        for s in sel.strata_table(c)
    ]


@router.get("/spot-checks", response={200: list[SpotCheckOut], **errors(403)})
def list_spot_checks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every year's draw, newest first."""
    actor = api_actor(request)
    require(actor, "oversight.view")
    return [_check_out(c) for c in sel.spot_checks()]


@router.get("/spot-checks/{code}", response={200: SpotCheckDetailOut, **errors(403, 404)})
def get_spot_check(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    require(actor, "oversight.view")
    c = sel.spot_check_detail(actor, code)
    return {**_check_out(c), "strata": _strata_out(c)}


@router.post("/spot-checks", response={201: SpotCheckDetailOut, **errors(400, 403)})
def draw_spot_check(request: HttpRequest, payload: SpotCheckDrawIn) -> Status:
    """Draw a year's sample (once a year); the share defaults to the programme's rule and the
    seed to a random one."""
    actor = api_actor(request)
    c = services.draw_year(
        actor, year=payload.year, pct=payload.pct, seed=payload.seed, note=payload.note
    )
    return Status(201, {**_check_out(c), "strata": _strata_out(c)})


# Visits --------------------------------------------------------------------------------------


class VisitFindingIO(Schema):
    item: ChecklistStr
    ok: bool
    note: Line = Field(default="", max_length=500)


class VisitOut(Schema):
    code: CodeStr
    spot_check: CodeStr | None
    title_code: CodeStr
    collective_code: CodeStr
    collective: str
    body: str
    reason: str
    covert: bool
    status: str
    planned_on: datetime.date | None
    visited_on: datetime.date | None
    inspectors: str
    findings: list[VisitFindingIO]
    summary: str
    result: str


class VisitQuery(PageQuery):
    year: int | None = Field(default=None, ge=2000, le=2100)
    status: VisitStatusStr | None = None
    result: VisitResultStr | None = None
    covert: bool | None = None
    body: CodeStr | None = None
    spot_check: CodeStr | None = None


class VisitPlanIn(Schema):
    planned_on: datetime.date
    covert: bool = False


class VisitRecordIn(Schema):
    visited_on: datetime.date
    inspectors: Line = Field(max_length=300)
    findings: list[VisitFindingIO] = Field(max_length=len(services.CHECKLIST))
    summary: Text = Field(default="", max_length=3000)
    result: VisitResultStr


def _visit_out(v: Visit) -> dict[str, Any]:
    return {
        "code": v.code,
        "spot_check": v.spot_check.code if v.spot_check else None,
        "title_code": v.title.code,
        "collective_code": v.collective.code,
        "collective": v.collective.name,
        "body": v.collective.body.name,
        "reason": v.reason,
        "covert": v.covert,
        "status": v.status,
        "planned_on": v.planned_on,
        "visited_on": v.visited_on,
        "inspectors": v.inspectors,
        "findings": v.findings,
        "summary": v.summary,
        "result": v.result,
    }


def _reader(request: HttpRequest) -> Any:
    actor = api_actor(request)
    require(actor, "oversight.see_visit")
    return actor


@prepared
def _visits(actor: Actor, filters: sel.VisitFilters) -> QuerySet[Visit]:
    """``visit_list`` as the API lists it, compiled once per process, scope and set of
    filters (``core.prepared``)."""
    # Only the joins a visit's JSON reads: each extra one (the town, the two recorders) cost
    # PostgreSQL more planning than the whole page's execution (17 of 18 ms).
    visits = sel.visit_list(actor, filters).select_related(None)
    return visits.select_related("spot_check", "title", "collective__body")


@router.get("/visits", response={200: Page[VisitOut], **errors(403)})
def list_visits(request: HttpRequest, query: Query[VisitQuery]) -> Any:
    """Visits you may see, with the page's filters."""
    actor = _reader(request)
    covert = "" if query.covert is None else ("covert" if query.covert else "announced")
    filters = sel.VisitFilters(
        year=query.year,
        status=query.status or "",
        result=query.result or "",
        covert=covert,
        body=query.body or "",
        check=query.spot_check or "",
    )
    page = page_of(_visits.bind(actor, filters), query)
    page["results"] = [_visit_out(v) for v in page["results"]]
    return page


@router.get("/visits/{code}", response={200: VisitOut, **errors(403, 404)})
def get_visit(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = _reader(request)
    return _visit_out(sel.visit_detail(actor, code))


@router.post("/visits/{code}/plan", response={200: VisitOut, **errors(400, 403, 404)})
def plan_visit(request: HttpRequest, code: CodeStr, payload: VisitPlanIn) -> dict[str, Any]:
    """Set the date of a visit not yet made, and whether it is covert."""
    actor = _reader(request)
    visit = sel.visit_detail(actor, code)
    services.plan(actor, visit, planned_on=payload.planned_on, covert=payload.covert)
    return _visit_out(sel.visit_detail(actor, code))


@router.post("/visits/{code}/record", response={200: VisitOut, **errors(400, 403, 404)})
def record_visit(request: HttpRequest, code: CodeStr, payload: VisitRecordIn) -> dict[str, Any]:
    """Record what the visit found, one finding per checklist item (photos: on the page)."""
    actor = _reader(request)
    visit = sel.visit_detail(actor, code)
    services.record(
        actor,
        visit,
        visited_on=payload.visited_on,
        inspectors=payload.inspectors,
        findings=[f.dict() for f in payload.findings],
        summary=payload.summary,
        result=payload.result,
    )
    return _visit_out(sel.visit_detail(actor, code))


@router.post("/visits/{code}/close", response={200: VisitOut, **errors(400, 403, 404)})
def close_visit(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """Close a recorded visit; the collective is told its result."""
    actor = _reader(request)
    services.close(actor, sel.visit_detail(actor, code))
    return _visit_out(sel.visit_detail(actor, code))


# Public reproduction -------------------------------------------------------------------------


class SpotCheckSampleOut(Schema):
    title_id: int
    collective: str
    town: str
    required: bool


class SpotCheckReproduceOut(Schema):
    code: CodeStr
    year: int
    pct: int
    seed: str
    population: int
    strata: list[SpotCheckStratumOut]
    sample: list[SpotCheckSampleOut]
    redraw_seed: str | None
    redrawn: list[int] | None
    matches: bool | None


class SpotCheckReproduceQuery(Schema):
    seed: SeedStr | None = None


@router.get(
    "/public/spot-checks/{code}",
    response={200: SpotCheckReproduceOut, **public_errors(404)},
    auth=None,
)
def reproduce(request: HttpRequest, code: CodeStr, query: Query[SpotCheckReproduceQuery]) -> Any:
    """A draw as published, and with ``seed`` the sample that seed gives from the stored
    population, and whether it matches the published one."""
    from qnwmh.core.actor import Actor

    c = sel.public_spot_check(Actor(user=None), code)
    redrawn = services.redraw(c, query.seed) if query.seed else None
    return {
        "code": c.code,
        "year": c.year,
        "pct": c.pct,
        "seed": c.seed,
        "population": sel.summary(c).size,
        "strata": _strata_out(c),
        "sample": [s.__dict__ for s in sel.sample_rows(c)],
        "redraw_seed": query.seed,
        "redrawn": redrawn,
        "matches": None if redrawn is None else redrawn == c.drawn,
    }
