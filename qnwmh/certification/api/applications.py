"""Certification API: the round and applications (``/api/v1/certification/rounds/...``),
through the same selectors and services as the pages: a domain error answers 400 with its
Chinese message, a refusal 403, anything outside the caller's scope 404."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.certification.models import Application, ApplicationStatus, CertificationRound
from qnwmh.certification.selectors.applications import (
    ApplicationFilters,
    application_in_round,
    application_rows,
    completeness,
    round_detail,
    rounds_visible_to,
    test_result,
)
from qnwmh.certification.services import applications as services
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.apischema import CodeStr, Counted, IdInt, Line, Text, api_actor, counted, errors
from qnwmh.programme.models import Dimension

router = Router(tags=["certification"])

# Evidence codes are longer than the other opaque codes (``evidence.models.file_code``).
FileCodeStr = Annotated[str, Field(pattern=r"^[0-9A-Z]{1,16}$")]

MAX_OFFSET = 1_000_000

if TYPE_CHECKING:
    ApplicationStatusStr = str
    DimensionStr = str
else:
    ApplicationStatusStr = Literal[tuple(ApplicationStatus.values)]
    DimensionStr = Literal[tuple(Dimension.values)]


class RoundOut(Schema):
    code: CodeStr
    cycle_code: CodeStr
    session_no: int
    status: str
    applications_open_on: datetime.date
    applications_close_on: datetime.date
    test_opens_on: datetime.date
    test_closes_on: datetime.date
    site_from: datetime.date
    site_to: datetime.date
    defence_from: datetime.date
    defence_to: datetime.date
    scoring_closes_on: datetime.date
    reference_date: datetime.date
    exam_code: str | None


def _round_out(r: CertificationRound) -> dict[str, Any]:
    return {
        **{
            f: getattr(r, f)
            for f in RoundOut.model_fields
            if f not in ("cycle_code", "session_no", "exam_code")
        },
        "cycle_code": r.cycle.code,
        "session_no": r.cycle.session_no,
        "exam_code": r.exam.code if r.exam else None,
    }


class ApplicationOut(Schema):
    code: CodeStr
    round_code: CodeStr
    collective_code: CodeStr
    collective: str
    body_id: int
    body: str
    town: str
    area: str | None
    status: str
    special_recommendation: bool
    eligibility: str
    body_rank: int | None
    recommendation: str
    return_reason: str
    withdraw_reason: str
    submitted_at: datetime.datetime | None
    recommended_at: datetime.datetime | None


class ApplicationPage(Counted):
    items: list[ApplicationOut]


class AssessmentOut(Schema):
    dimension: str
    text: str
    entries: list[str]
    files: list[str]
    complete: bool


class TestOut(Schema):
    attempts: int
    best_score: float | None
    passed: bool
    attempts_left: int


class ApplicationDetailOut(ApplicationOut):
    statement: str
    eligibility_on: datetime.date | None
    appraisal: dict[str, Any]
    assessments: list[AssessmentOut]
    test: TestOut | None


def _app_out(a: Application) -> dict[str, Any]:
    return {
        "code": a.code,
        "round_code": a.round.code,
        "collective_code": a.collective.code,
        "collective": a.collective.name,
        "body_id": a.body_id,
        "body": a.body.name,
        "town": a.town.name,
        "area": a.area.name if a.area else None,
        "status": a.status,
        "special_recommendation": a.special_recommendation,
        "eligibility": a.eligibility,
        "body_rank": a.body_rank,
        "recommendation": a.recommendation,
        "return_reason": a.return_reason,
        "withdraw_reason": a.withdraw_reason,
        "submitted_at": a.submitted_at,
        "recommended_at": a.recommended_at,
    }


def _detail_out(a: Application) -> dict[str, Any]:
    t = test_result(a)
    return {
        **_app_out(a),
        "statement": a.statement,
        "eligibility_on": a.eligibility_on,
        "appraisal": a.appraisal,
        "assessments": [
            {
                "dimension": row.dimension,
                "text": row.assessment.text if row.assessment else "",
                "entries": [e.code for e in row.assessment.entries.all()] if row.assessment else [],
                "files": [f.code for f in row.assessment.files.all()] if row.assessment else [],
                "complete": row.complete,
            }
            for row in completeness(a)
        ],
        "test": None
        if t is None
        else {
            "attempts": t.attempts,
            "best_score": float(t.best_score) if t.best_score is not None else None,
            "passed": t.passed,
            "attempts_left": t.attempts_left,
        },
    }


def _reloaded(request: HttpRequest, a: Application) -> dict[str, Any]:
    return _detail_out(application_in_round(api_actor(request), a.round.code, a.code))


class CreateIn(Schema):
    collective_code: CodeStr


class PickIn(Schema):
    text: Text | None = Field(default=None, max_length=5000)
    entries: list[CodeStr] | None = Field(default=None, max_length=200)
    files: list[FileCodeStr] | None = Field(default=None, max_length=200)


class AssessmentIn(Schema):
    statement: Text | None = Field(default=None, max_length=5000)
    assessments: dict[DimensionStr, PickIn] = Field(default_factory=dict)


class RecommendIn(Schema):
    recommendation: Text = Field(max_length=5000)
    rank: int = Field(ge=1, le=10000)


class ReasonIn(Schema):
    reason: Line = Field(max_length=500)


@router.get("/rounds", response={200: list[RoundOut], **errors()})
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round_out(r) for r in rounds_visible_to(api_actor(request))]


@router.get("/rounds/{code}", response={200: RoundOut, **errors(404)})
def get_round(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _round_out(round_detail(api_actor(request), code))


@router.get("/rounds/{code}/applications", response={200: ApplicationPage, **errors(404)})
def list_applications(
    request: HttpRequest,
    code: CodeStr,
    status: ApplicationStatusStr | None = None,
    body: IdInt | None = None,
    town: IdInt | None = None,
    area: IdInt | None = None,
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """The round's applications you may see, by body and the body's ranking."""
    actor = api_actor(request)
    r = round_detail(actor, code)
    filters = ApplicationFilters(status=status or "", body=body, town=town, area=area)
    rows = application_rows(actor, r, filters)
    return {**counted(rows), "items": [_app_out(a) for a in rows[offset : offset + limit]]}


@router.get(
    "/rounds/{code}/applications/{app_code}",
    response={200: ApplicationDetailOut, **errors(404)},
)
def get_application(request: HttpRequest, code: CodeStr, app_code: CodeStr) -> dict[str, Any]:
    return _detail_out(application_in_round(api_actor(request), code, app_code))


@router.post(
    "/rounds/{code}/applications",
    response={201: ApplicationDetailOut, **errors(400, 403, 404)},
)
def create_application(request: HttpRequest, code: CodeStr, payload: CreateIn) -> Status:
    actor = api_actor(request)
    r = round_detail(actor, code)
    collective = get_object_or_404(collectives_visible_to(actor), code=payload.collective_code)
    app = services.application_create(actor, round=r, collective=collective)
    return Status(201, _reloaded(request, app))


@router.patch(
    "/rounds/{code}/applications/{app_code}",
    response={200: ApplicationDetailOut, **errors(400, 403, 404)},
)
def save_application(
    request: HttpRequest, code: CodeStr, app_code: CodeStr, payload: AssessmentIn
) -> dict[str, Any]:
    """The statement and the self-assessment; ``entries`` and ``files`` are codes of the
    collective's own log entries and evidence (any other code answers 404)."""
    actor = api_actor(request)
    app = application_in_round(actor, code, app_code)
    services.application_save(
        actor,
        application=app,
        statement=payload.statement,
        assessments={d: pick.dict(exclude_none=True) for d, pick in payload.assessments.items()},
    )
    return _reloaded(request, app)


@router.post(
    "/rounds/{code}/applications/{app_code}/submit",
    response={200: ApplicationDetailOut, **errors(400, 403, 404)},
)
def submit_application(request: HttpRequest, code: CodeStr, app_code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    app = services.application_submit(
        actor, application=application_in_round(actor, code, app_code)
    )
    return _reloaded(request, app)


@router.post(
    "/rounds/{code}/applications/{app_code}/recommend",
    response={200: ApplicationDetailOut, **errors(400, 403, 404)},
)
def recommend_application(
    request: HttpRequest, code: CodeStr, app_code: CodeStr, payload: RecommendIn
) -> dict[str, Any]:
    actor = api_actor(request)
    app = services.application_recommend(
        actor,
        application=application_in_round(actor, code, app_code),
        text=payload.recommendation,
        rank=payload.rank,
    )
    return _reloaded(request, app)


@router.post(
    "/rounds/{code}/applications/{app_code}/return",
    response={200: ApplicationDetailOut, **errors(400, 403, 404)},
)
def return_application(
    request: HttpRequest, code: CodeStr, app_code: CodeStr, payload: ReasonIn
) -> dict[str, Any]:
    actor = api_actor(request)
    app = services.application_return(
        actor, application=application_in_round(actor, code, app_code), reason=payload.reason
    )
    return _reloaded(request, app)


@router.post(
    "/rounds/{code}/applications/{app_code}/withdraw",
    response={200: ApplicationDetailOut, **errors(400, 403, 404)},
)
def withdraw_application(
    request: HttpRequest, code: CodeStr, app_code: CodeStr, payload: ReasonIn
) -> dict[str, Any]:
    actor = api_actor(request)
    app = services.application_withdraw(
        actor, application=application_in_round(actor, code, app_code), reason=payload.reason
    )
    return _reloaded(request, app)
