"""API of the standard part (``/api/v1/oversight/...``): the quantified standard (read by the
city and the bodies, written by the city), exits (list, read, record a dissolution or merger,
the plaque's recovery) and the public revocation notice (no token). Through the same
selectors and services as the pages: a broken rule answers 400 with its Chinese message, a
refusal 403, anything outside the caller's scope 404."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.collectives.models import Title, TitleStatus
from qnwmh.core.apischema import (
    CodeStr,
    IdInt,
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
from qnwmh.oversight.models import Exit, Standard, StandardItem
from qnwmh.oversight.selectors.exits import (
    ExitFilters,
    exit_detail,
    exit_list,
    published_category,
    revocation_years,
    revocations_of,
)
from qnwmh.oversight.selectors.standard import standard_detail, standards_visible_to
from qnwmh.oversight.services import exits_plaque
from qnwmh.oversight.services import standard as services

router = Router(tags=["oversight"])

S = "/standards/{code}"
IT = S + "/items/{item_id}"

if TYPE_CHECKING:
    SourceStr = str
    MetricStr = str
    ManualKindStr = str
    KindStr = str
else:
    SourceStr = Literal["self", "body", "computed"]
    MetricStr = Literal["", "creation_compliance", "open_weeks", "upheld_complaints", "ratings"]
    ManualKindStr = Literal["dissolved", "merged"]
    KindStr = Literal["", "revoked", "failed_review", "dissolved", "merged"]


# Standards --------------------------------------------------------------------------------------


class StandardItemOut(Schema):
    id: int
    position: int
    label: str
    points: int
    source: str
    metric: str
    guidance: str
    evidence_required: bool


class StandardOut(Schema):
    code: CodeStr
    year: int
    version: int
    name: str
    note: str
    pass_mark: int
    warning_mark: int
    star_down_mark: int
    total_points: int
    frozen_at: datetime.datetime | None
    # The years of the re-reviews that use it.
    used_by: list[int]
    items: list[StandardItemOut]


def _item_out(i: StandardItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "position": i.position,
        "label": i.label,
        "points": i.points,
        "source": i.source,
        "metric": i.metric,
        "guidance": i.guidance,
        "evidence_required": i.evidence_required,
    }


def _standard_out(s: Standard) -> dict[str, Any]:
    items = list(s.items.order_by("position"))
    return {
        "code": s.code,
        "year": s.year,
        "version": s.version,
        "name": s.name,
        "note": s.note,
        "pass_mark": s.pass_mark,
        "warning_mark": s.warning_mark,
        "star_down_mark": s.star_down_mark,
        "total_points": sum(i.points for i in items),
        "frozen_at": s.frozen_at,
        "used_by": sorted(r.year for r in s.reviews.all()),
        "items": [_item_out(i) for i in items],
    }


class StandardSummaryOut(Schema):
    code: CodeStr
    year: int
    version: int
    name: str
    total_points: int
    frozen_at: datetime.datetime | None


class StandardIn(Schema):
    year: int = Field(ge=2000, le=2100)
    name: Line = Field(default="", max_length=100)
    note: Text = Field(default="", max_length=2000)
    # Copy the items and marks of this version (default: the year's latest, else the previous
    # years' latest, else the platform's defaults).
    based_on: CodeStr | None = None


class StandardPatch(Schema):
    name: Line | None = Field(default=None, min_length=1, max_length=100)
    note: Text | None = Field(default=None, max_length=2000)
    pass_mark: int | None = Field(default=None, ge=0, le=1000)
    warning_mark: int | None = Field(default=None, ge=0, le=1000)
    star_down_mark: int | None = Field(default=None, ge=0, le=1000)


class StandardItemIn(Schema):
    label: Line = Field(min_length=1, max_length=200)
    points: int = Field(ge=1, le=1000)
    source: SourceStr
    metric: MetricStr = ""
    guidance: Text = Field(default="", max_length=2000)
    evidence_required: bool = False


class StandardItemPatch(Schema):
    label: Line | None = Field(default=None, min_length=1, max_length=200)
    points: int | None = Field(default=None, ge=1, le=1000)
    source: SourceStr | None = None
    metric: MetricStr | None = None
    guidance: Text | None = Field(default=None, max_length=2000)
    evidence_required: bool | None = None


class StandardItemMoveIn(Schema):
    to: int = Field(ge=1, le=1000)


def _item(request: HttpRequest, code: str, item_id: int) -> StandardItem:
    s = standard_detail(api_actor(request), code)
    item = get_object_or_404(StandardItem.objects.filter(standard=s), pk=item_id)
    item.standard = s
    return item


@router.get("/standards", response={200: list[StandardSummaryOut], **errors(403)})
def list_standards(request: HttpRequest) -> list[dict[str, Any]]:
    actor = api_actor(request)
    require(actor, "oversight.view")
    return [
        {
            "code": s.code,
            "year": s.year,
            "version": s.version,
            "name": s.name,
            "total_points": s.total_points or 0,  # type: ignore[attr-defined]
            "frozen_at": s.frozen_at,
        }
        for s in standards_visible_to(actor)
    ]


@router.post("/standards", response={201: StandardOut, **errors(400, 403, 404)})
def create_standard(request: HttpRequest, payload: StandardIn) -> Status:
    actor = api_actor(request)
    require(actor, "oversight.manage")
    based_on = standard_detail(actor, payload.based_on) if payload.based_on else None
    s = services.create(
        actor, year=payload.year, name=payload.name, note=payload.note, based_on=based_on
    )
    return Status(201, _standard_out(s))


@router.get(S, response={200: StandardOut, **errors(404)})
def get_standard(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _standard_out(standard_detail(api_actor(request), code))


@router.patch(S, response={200: StandardOut, **errors(400, 403, 404)})
def update_standard(request: HttpRequest, code: CodeStr, payload: StandardPatch) -> dict[str, Any]:
    actor = api_actor(request)
    s = services.update(actor, standard_detail(actor, code), **payload.dict(exclude_none=True))
    return _standard_out(s)


@router.post(S + "/items", response={201: StandardItemOut, **errors(400, 403, 404)})
def add_item(request: HttpRequest, code: CodeStr, payload: StandardItemIn) -> Status:
    actor = api_actor(request)
    item = services.add_item(actor, standard_detail(actor, code), **payload.dict())
    return Status(201, _item_out(item))


@router.patch(IT, response={200: StandardItemOut, **errors(400, 403, 404)})
def update_item(
    request: HttpRequest, code: CodeStr, item_id: IdInt, payload: StandardItemPatch
) -> dict[str, Any]:
    item = services.update_item(
        api_actor(request), _item(request, code, item_id), **payload.dict(exclude_none=True)
    )
    return _item_out(item)


@router.post(IT + "/move", response={200: StandardOut, **errors(400, 403, 404)})
def move_item(
    request: HttpRequest, code: CodeStr, item_id: IdInt, payload: StandardItemMoveIn
) -> dict[str, Any]:
    item = _item(request, code, item_id)
    services.move_item(api_actor(request), item, to=payload.to)
    return _standard_out(item.standard)


@router.delete(IT, response={200: StandardOut, **errors(400, 403, 404)})
def remove_item(request: HttpRequest, code: CodeStr, item_id: IdInt) -> dict[str, Any]:
    """Only while the standard is a draft: a draft's item is no record yet."""
    item = _item(request, code, item_id)
    services.remove_item(api_actor(request), item)
    return _standard_out(item.standard)


# Exits ------------------------------------------------------------------------------------------


class ExitOut(Schema):
    code: CodeStr
    title_code: CodeStr
    collective_code: CodeStr
    collective: str
    body: str
    level: str
    session_no: int
    kind: str
    category: str
    reason: str
    on: datetime.date
    plaque_recovered_on: datetime.date | None
    plaque_note: str


def _exit_out(e: Exit) -> dict[str, Any]:
    return {
        "code": e.code,
        "title_code": e.title.code,
        "collective_code": e.collective.code,
        "collective": e.collective.name,
        "body": e.collective.body.name,
        "level": e.title.level,
        "session_no": e.title.session_no,
        "kind": e.kind,
        "category": published_category(e) if e.revoking else "",
        "reason": e.reason,
        "on": e.on,
        "plaque_recovered_on": e.plaque_recovered_on,
        "plaque_note": e.plaque_note,
    }


class ExitRecordIn(Schema):
    title_code: CodeStr
    kind: ManualKindStr
    reason: Text = Field(min_length=1, max_length=2000)
    on: datetime.date | None = None


class ExitPlaqueIn(Schema):
    on: datetime.date
    note: Line = Field(default="", max_length=300)


@router.get("/exits", response={200: Page[ExitOut], **errors(403)})
def list_exits(
    request: HttpRequest,
    q: PageQuery = Query(...),  # noqa: B008
    year: int | None = Query(None, ge=2000, le=2100),
    kind: KindStr = Query(""),  # noqa: B008
    body_id: IdInt | None = Query(None),  # noqa: B008
) -> dict[str, Any]:
    actor = api_actor(request)
    require(actor, "oversight.view")
    page = page_of(exit_list(actor, ExitFilters(year=year, kind=kind, body=body_id)), q)
    return {**page, "results": [_exit_out(e) for e in page["results"]]}


@router.post("/exits", response={201: ExitOut, **errors(400, 403, 404)})
def record_exit(request: HttpRequest, payload: ExitRecordIn) -> Status:
    """A dissolution or a merger (the title expires); revocations come from sanctions."""
    actor = api_actor(request)
    require(actor, "oversight.manage")
    title = get_object_or_404(
        Title.objects.filter(status=TitleStatus.ACTIVE).select_related("collective"),
        code=payload.title_code,
    )
    e = exits_plaque.record_exit(
        actor, title=title, kind=payload.kind, reason=payload.reason, on=payload.on
    )
    return Status(201, _exit_out(exit_detail(actor, e.code)))


@router.get("/exits/{code}", response={200: ExitOut, **errors(403, 404)})
def get_exit(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    require(actor, "oversight.view")
    return _exit_out(exit_detail(actor, code))


@router.post("/exits/{code}/plaque", response={200: ExitOut, **errors(400, 403, 404)})
def record_plaque(request: HttpRequest, code: CodeStr, payload: ExitPlaqueIn) -> dict[str, Any]:
    actor = api_actor(request)
    e = exit_detail(actor, code)
    exits_plaque.record_plaque(actor, e, on=payload.on, note=payload.note)
    return _exit_out(exit_detail(actor, code))


# Public revocation notice -----------------------------------------------------------------------


class RevocationYearOut(Schema):
    year: int
    count: int


class RevocationOut(Schema):
    collective_code: CodeStr
    collective: str
    body: str
    town: str
    level: str
    session_no: int
    on: datetime.date
    category: str
    reason: str


@router.get("/revocations", response={200: list[RevocationYearOut], **public_errors()}, auth=None)
def list_revocation_years(request: HttpRequest) -> list[dict[str, Any]]:
    """The years with revoked titles, newest first."""
    return [{"year": y, "count": n} for y, n in revocation_years()]


@router.get(
    "/revocations/{year}", response={200: list[RevocationOut], **public_errors(404)}, auth=None
)
def list_revocations(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    """The year's revoked titles as published (no personal data)."""
    if not 2000 <= year <= 2100:
        raise Http404
    return [
        {
            "collective_code": e.collective.code,
            "collective": e.collective.name,
            "body": e.collective.body.name,
            "town": e.collective.town.name,
            "level": e.title.level,
            "session_no": e.title.session_no,
            "on": e.on,
            "category": e.category_label,  # type: ignore[attr-defined]
            "reason": e.title.end_reason,
        }
        for e in revocations_of(year)
    ]
