"""Awards API: nominations upward (``/api/v1/awards/nomination-rounds/...``), through the same
selectors and services as the pages: a broken rule answers 400 with its Chinese message, a
refusal 403, anything outside the caller's scope 404. The dossier zip and the Excel list are
built in the request here (an API client waits; the pages hand long ledgers to the worker)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.awards.documents.nomination import dossier_file
from qnwmh.awards.exports.nomination import round_xlsx
from qnwmh.awards.models import Nomination, NominationRound, NominationStatus
from qnwmh.awards.selectors.nomination import (
    eligible_titles,
    exempt_from_city_review,
    live_count,
    nomination_detail,
    round_detail,
    round_nominations,
    rounds_visible_to,
)
from qnwmh.awards.services import nomination as services
from qnwmh.collectives.models import Level, Title
from qnwmh.core.apischema import (
    CodeStr,
    Line,
    Page,
    PageQuery,
    Text,
    api_actor,
    errors,
    file_response,
    page_of,
)
from qnwmh.core.permissions import require

router = Router(tags=["awards"])

R = "/nomination-rounds/{code}"
N = R + "/nominations/{ncode}"

if TYPE_CHECKING:
    OutcomeStr = str
else:
    OutcomeStr = Literal["granted", "not_granted"]


class NominationRoundOut(Schema):
    code: CodeStr
    year: int
    name: str
    quota: int
    nominated: int
    deadline: datetime.date
    basis: str


def _round_out(r: NominationRound) -> dict[str, Any]:
    live = getattr(r, "live", None)
    return {
        "code": r.code,
        "year": r.year,
        "name": r.name,
        "quota": r.quota,
        "nominated": live_count(r) if live is None else live,
        "deadline": r.deadline,
        "basis": r.basis,
    }


class NominationRoundIn(Schema):
    year: int = Field(ge=2000, le=2100)
    name: Line = Field(min_length=1, max_length=200)
    quota: int = Field(ge=1, le=1000)
    deadline: datetime.date
    basis: Line = Field(default="", max_length=200)


class NominationRoundPatch(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)
    name: Line | None = Field(default=None, min_length=1, max_length=200)
    quota: int | None = Field(default=None, ge=1, le=1000)
    deadline: datetime.date | None = None
    basis: Line | None = Field(default=None, max_length=200)


class EligibleTitleOut(Schema):
    code: CodeStr
    collective_code: CodeStr
    collective: str
    body: str
    level: str
    stars: int
    session_no: int
    year: int
    awarded_on: datetime.date


def _title_out(t: Title) -> dict[str, Any]:
    return {
        "code": t.code,
        "collective_code": t.collective.code,
        "collective": t.collective.name,
        "body": t.collective.body.name,
        "level": t.level,
        "stars": t.stars,
        "session_no": t.session_no,
        "year": t.year,
        "awarded_on": t.awarded_on,
    }


class NominationOut(Schema):
    code: CodeStr
    round_code: CodeStr
    title: EligibleTitleOut
    status: str
    position: int
    recommendation: str
    nominated_at: datetime.datetime
    outcome_on: datetime.date | None
    outcome_note: str
    provincial_title_code: str | None
    # Why the city title is exempt from the city's re-review (a higher title), else null.
    exempt_from_city_review: str | None


def _nomination_out(n: Nomination, exempt: dict[int, str]) -> dict[str, Any]:
    n.title.collective = n.collective  # the same row, already loaded with its body
    return {
        "code": n.code,
        "round_code": n.round.code,
        "title": _title_out(n.title),
        "status": n.status,
        "position": n.position,
        "recommendation": n.recommendation,
        "nominated_at": n.nominated_at,
        "outcome_on": n.outcome_on,
        "outcome_note": n.outcome_note,
        "provincial_title_code": n.provincial_title.code if n.provincial_title else None,
        "exempt_from_city_review": exempt.get(n.title_id),
    }


def _one(request: HttpRequest, code: str, ncode: str) -> dict[str, Any]:
    n = nomination_detail(api_actor(request), code, ncode)
    return _nomination_out(n, exempt_from_city_review([n.title_id]))


class NominationIn(Schema):
    title_code: CodeStr
    recommendation: Text = Field(min_length=1, max_length=5000)
    position: int | None = Field(default=None, ge=1, le=1000)


class NominationWithdrawIn(Schema):
    reason: Line = Field(min_length=1, max_length=300)


class NominationOutcomeIn(Schema):
    outcome: OutcomeStr
    outcome_on: datetime.date
    note: Line = Field(default="", max_length=300)
    session_no: int | None = Field(default=None, ge=1, le=1000)


# Rounds -----------------------------------------------------------------------------------------


@router.get("/nomination-rounds", response={200: list[NominationRoundOut], **errors()})
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round_out(r) for r in rounds_visible_to(api_actor(request))]


@router.post("/nomination-rounds", response={201: NominationRoundOut, **errors(400, 403)})
def create_round(request: HttpRequest, payload: NominationRoundIn) -> Status:
    r = services.round_create(api_actor(request), values=payload.dict())
    return Status(201, _round_out(r))


@router.get(R, response={200: NominationRoundOut, **errors(404)})
def get_round(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    return _round_out(round_detail(api_actor(request), code))


@router.patch(R, response={200: NominationRoundOut, **errors(400, 403, 404)})
def update_round(
    request: HttpRequest, code: CodeStr, payload: NominationRoundPatch
) -> dict[str, Any]:
    actor = api_actor(request)
    r = services.round_update(
        actor, round=round_detail(actor, code), values=payload.dict(exclude_none=True)
    )
    return _round_out(round_detail(actor, r.code))


@router.get(R + "/eligible-titles", response={200: Page[EligibleTitleOut], **errors(403, 404)})
def list_eligible(
    request: HttpRequest,
    code: CodeStr,
    q: PageQuery = Query(...),  # noqa: B008
    search: Line = Query("", max_length=50),  # noqa: B008
) -> dict[str, Any]:
    """City titles that may be nominated in this round (city staff only)."""
    actor = api_actor(request)
    r = round_detail(actor, code)
    require(actor, "awards.nominate")
    page = page_of(eligible_titles(r, q=search), q)
    return {**page, "results": [_title_out(t) for t in page["results"]]}


@router.get(
    R + "/export",
    response=errors(404),
    openapi_extra=file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
)
def export_round(request: HttpRequest, code: CodeStr) -> HttpResponseBase:
    """The round's list in Excel (yours only, for a body)."""
    actor = api_actor(request)
    return round_xlsx(actor, round_detail(actor, code))


# Nominations ------------------------------------------------------------------------------------


@router.get(R + "/nominations", response={200: list[NominationOut], **errors(404)})
def list_nominations(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    actor = api_actor(request)
    r = round_detail(actor, code)
    nominations = list(round_nominations(actor, r))
    exempt = exempt_from_city_review(
        [n.title_id for n in nominations if n.status == NominationStatus.GRANTED]
    )
    for n in nominations:
        n.round = r
    return [_nomination_out(n, exempt) for n in nominations]


@router.post(R + "/nominations", response={201: NominationOut, **errors(400, 403, 404)})
def nominate(request: HttpRequest, code: CodeStr, payload: NominationIn) -> Status:
    actor = api_actor(request)
    r = round_detail(actor, code)
    require(actor, "awards.nominate")
    title = get_object_or_404(
        Title.objects.filter(level=Level.CITY).select_related("collective"),
        code=payload.title_code,
    )
    n = services.nominate(
        actor,
        round=r,
        title=title,
        recommendation=payload.recommendation,
        position=payload.position,
    )
    return Status(201, _one(request, r.code, n.code))


@router.get(N, response={200: NominationOut, **errors(404)})
def get_nomination(request: HttpRequest, code: CodeStr, ncode: CodeStr) -> dict[str, Any]:
    return _one(request, code, ncode)


@router.post(N + "/withdraw", response={200: NominationOut, **errors(400, 403, 404)})
def withdraw(
    request: HttpRequest, code: CodeStr, ncode: CodeStr, payload: NominationWithdrawIn
) -> dict[str, Any]:
    actor = api_actor(request)
    services.withdraw(
        actor, nomination=nomination_detail(actor, code, ncode), reason=payload.reason
    )
    return _one(request, code, ncode)


@router.post(N + "/outcome", response={200: NominationOut, **errors(400, 403, 404)})
def record_outcome(
    request: HttpRequest, code: CodeStr, ncode: CodeStr, payload: NominationOutcomeIn
) -> dict[str, Any]:
    """The province's answer: granted records the provincial title (the city title stays,
    exempt from the city's re-review); not granted needs the reason in ``note``."""
    actor = api_actor(request)
    services.record_outcome(
        actor,
        nomination=nomination_detail(actor, code, ncode),
        granted=payload.outcome == "granted",
        outcome_on=payload.outcome_on,
        note=payload.note,
        session_no=payload.session_no,
    )
    return _one(request, code, ncode)


@router.get(N + "/dossier", response=errors(404), openapi_extra=file_response("application/zip"))
def dossier(request: HttpRequest, code: CodeStr, ncode: CodeStr) -> HttpResponseBase:
    """The nomination's dossier zip (plan, ledger, evidence index, scores, certificate)."""
    actor = api_actor(request)
    return dossier_file(
        actor,
        nomination_detail(actor, code, ncode),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
