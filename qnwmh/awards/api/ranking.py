"""Awards API: the ranking part (``/api/v1/awards/...``): a round's ranking (current, or with
what-if weights as query parameters), freezing it, the shortlist, move-up, league support.
The same selectors and services as the pages: a domain error answers 400 with its Chinese
message, a refusal 403, anything outside the caller's scope 404."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from qnwmh.awards.caps import caps_for
from qnwmh.awards.models import LeagueSupport, Shortlist, ShortlistEntry
from qnwmh.awards.ranking import Ranked
from qnwmh.awards.selectors import ranking as sel
from qnwmh.awards.services import entries as entry_services
from qnwmh.awards.services import league_support
from qnwmh.awards.services.ranking import freeze, weights_of
from qnwmh.awards.services.ranking_cache import live_ranking
from qnwmh.core.apischema import CodeStr, IdInt, Line, Text, api_actor, errors
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.programme.models import AreaNormalisation, TieBreak

router = Router(tags=["awards"])

MAX_OFFSET = 1_000_000

if TYPE_CHECKING:
    NormalisationStr = str
    TieBreakStr = str
else:
    NormalisationStr = Literal[tuple(AreaNormalisation.values)]
    TieBreakStr = Literal[tuple(TieBreak.values)]


class WeightsOut(Schema):
    league_support_weight_pct: int
    appraisal_weight_pct: int
    appraisal_penalty_per_upheld: int
    area_normalisation: str
    tie_break: str
    knowledge_pass_score: int


class CapOut(Schema):
    body_id: int
    body: str
    quota: int
    accepted: int
    cap: int
    listed: int


class RankedOut(Schema):
    application_code: CodeStr
    collective: str
    body_id: int
    status: str
    city_position: int | None
    body_position: int | None
    final: float | None
    combined: float | None
    adjusted: float | None
    league_support: float | None
    appraisal: float | None
    test_score: float | None
    special_recommendation: bool
    exclusion: str


class RankingOut(Schema):
    round_code: CodeStr
    what_if: bool
    weights: WeightsOut
    city_cap: int
    listed: int
    caps: list[CapOut]
    count: int
    items: list[RankedOut]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 2))


def _ranked_out(row: Any) -> dict[str, Any]:
    r: Ranked = row.row
    c = r.candidate
    return {
        "application_code": row.app.code,
        "collective": row.app.collective,
        "body_id": c.body_id,
        "status": r.status,
        "city_position": r.city_position,
        "body_position": r.body_position,
        "final": _num(r.final),
        "combined": _num(c.combined),
        "adjusted": _num(r.adjusted),
        "league_support": _num(c.league_support),
        "appraisal": _num(r.appraisal),
        "test_score": _num(c.test_score),
        "special_recommendation": c.special,
        "exclusion": r.exclusion,
    }


@router.get("/rounds/{code}/ranking", response={200: RankingOut, **errors(400, 403, 404)})
def get_ranking(
    request: HttpRequest,
    code: CodeStr,
    body: IdInt | None = None,
    league_support_weight_pct: int | None = Query(None, ge=0, le=100),
    appraisal_weight_pct: int | None = Query(None, ge=0, le=100),
    appraisal_penalty_per_upheld: int | None = Query(None, ge=0, le=100),
    area_normalisation: NormalisationStr | None = None,
    tie_break: TieBreakStr | None = None,
    limit: int = Query(50, ge=1, le=settings.API_MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """The round's ranking now (your bodies' rows); city staff may pass other weights to see
    what they would give (nothing is saved). Results and league support are always current;
    ratings and complaints may be up to five minutes old (``ranking_cache.APPRAISAL_TTL``)."""
    actor = api_actor(request)
    require(actor, "awards.view")
    r = sel.round_of(actor, code)
    if not sel.ranking_shown(actor, r):
        raise DomainError(_("评分截止后才能查看排名。"))
    overrides = {
        "league_pct": league_support_weight_pct,
        "appraisal_pct": appraisal_weight_pct,
        "penalty_per_upheld": appraisal_penalty_per_upheld,
        "area_normalisation": area_normalisation,
        "tie_break": tie_break,
    }
    what_if = any(v is not None for v in overrides.values())
    if what_if:
        require(actor, "awards.what_if")
    try:
        weights = weights_of(r.cycle, **overrides)
    except ValueError as exc:
        raise DomainError(_("团建工作与社会评价所占比例之和不能超过 100%。")) from exc
    caps = caps_for(r.cycle)
    ranking, _read_at = live_ranking(r, weights, caps)
    rows = sel.visible(actor, ranking.rows, body)
    return {
        "round_code": r.code,
        "what_if": what_if,
        "weights": weights.as_parameters(),
        "city_cap": caps.city_cap,
        "listed": ranking.listed,
        "caps": [
            {
                "body_id": c.body.id,
                "body": c.body.name,
                "quota": c.quota,
                "accepted": c.accepted,
                "cap": c.cap,
                "listed": c.listed,
            }
            for c in sel.caps_table(actor, caps, ranking)
        ],
        "count": len(rows),
        "items": [_ranked_out(v) for v in sel.with_names(rows[offset : offset + limit])],
    }


# Freeze and the shortlist ---------------------------------------------------------------------


class ShortlistEntryOut(Schema):
    id: int
    application_code: CodeStr
    collective: str
    body_id: int
    status: str
    final_score: float | None
    body_position: int | None
    city_position: int | None
    special_recommendation: bool
    star_review: bool
    exclusion_reason: str
    removal_kind: str
    removal_reason: str
    moved_up_at: datetime.datetime | None
    moved_up_reason: str


class ShortlistOut(Schema):
    code: CodeStr
    round_code: CodeStr
    parameters: dict[str, Any]
    caps: dict[str, Any]
    note: str
    frozen_at: datetime.datetime
    entries: list[ShortlistEntryOut]


def _entry_out(e: ShortlistEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "application_code": e.application.code,
        "collective": e.collective.name,
        "body_id": e.body_id,
        "status": e.status,
        "final_score": _num(e.final_score),
        "body_position": e.body_position,
        "city_position": e.city_position,
        "special_recommendation": e.special_recommendation,
        "star_review": e.star_review,
        "exclusion_reason": e.exclusion_reason,
        "removal_kind": e.removal_kind,
        "removal_reason": e.removal_reason,
        "moved_up_at": e.moved_up_at,
        "moved_up_reason": e.moved_up_reason,
    }


def _shortlist_out(actor: Any, s: Shortlist) -> dict[str, Any]:
    entries = (
        sel.entries_visible_to(actor, s)
        .select_related("collective", "application")
        .order_by("city_position", "id")
    )
    return {
        "code": s.code,
        "round_code": s.round.code,
        "parameters": s.parameters,
        "caps": s.caps,
        "note": s.note,
        "frozen_at": s.frozen_at,
        "entries": [_entry_out(e) for e in entries],
    }


class FreezeIn(Schema):
    note: Text = Field(default="", max_length=2000)


@router.post("/rounds/{code}/freeze", response={201: ShortlistOut, **errors(400, 403, 404)})
def freeze_round(request: HttpRequest, code: CodeStr, payload: FreezeIn) -> Status:
    """Freeze the round's ranking under the cycle's rules into its shortlist (once)."""
    actor = api_actor(request)
    require(actor, "awards.view")
    shortlist = freeze(actor, sel.round_of(actor, code), note=payload.note)
    return Status(201, _shortlist_out(actor, shortlist))


@router.get("/shortlists/{code}", response={200: ShortlistOut, **errors(403, 404)})
def get_shortlist(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    require(actor, "awards.view")
    return _shortlist_out(actor, sel.shortlist_of(actor, code))


class MoveUpIn(Schema):
    reason: Line = Field(min_length=1, max_length=500)


@router.post(
    "/shortlists/{code}/entries/{entry_id}/move-up",
    response={200: ShortlistEntryOut, **errors(400, 403, 404)},
)
def move_up(request: HttpRequest, code: CodeStr, entry_id: IdInt, payload: MoveUpIn) -> Any:
    """Put a reserve on the list after a removal freed its body's place (city staff)."""
    actor = api_actor(request)
    entry = entry_services.move_up(
        actor, sel.entry_of(actor, code, entry_id), reason=payload.reason
    )
    entry = ShortlistEntry.objects.select_related("collective", "application").get(pk=entry.pk)
    return _entry_out(entry)


# League support -------------------------------------------------------------------------------


class FiguresIn(Schema):
    league_members: int | None = Field(default=None, ge=0, le=100000)
    league_activities: int | None = Field(default=None, ge=0, le=100000)
    dues_on_time_pct: int | None = Field(default=None, ge=0, le=100)


class LeagueSupportIn(Schema):
    score: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    reason: Text = Field(min_length=1, max_length=5000)
    figures: FiguresIn = Field(default_factory=FiguresIn)


class LeagueSupportOut(Schema):
    application_code: CodeStr
    collective: str
    body_id: int
    score: float | None
    figures: dict[str, int]
    reason: str
    entered_at: datetime.datetime | None


def _support_out(app: Any, support: LeagueSupport | None) -> dict[str, Any]:
    return {
        "application_code": app.code,
        "collective": app.collective.name,
        "body_id": app.body_id,
        "score": _num(support.score) if support else None,
        "figures": support.figures if support else {},
        "reason": support.reason if support else "",
        "entered_at": support.entered_at if support else None,
    }


@router.get(
    "/rounds/{code}/league-support", response={200: list[LeagueSupportOut], **errors(403, 404)}
)
def list_league_support(request: HttpRequest, code: CodeStr) -> list[dict[str, Any]]:
    """The round's recommended applications of your bodies, with their league support."""
    actor = api_actor(request)
    require(actor, "awards.view")
    apps = sel.league_applications(actor, sel.round_of(actor, code))
    return [_support_out(a, getattr(a, "league_support", None)) for a in apps]


@router.put(
    "/rounds/{code}/league-support/{app_code}",
    response={200: LeagueSupportOut, **errors(400, 403, 404)},
)
def save_league_support(
    request: HttpRequest, code: CodeStr, app_code: CodeStr, payload: LeagueSupportIn
) -> dict[str, Any]:
    actor = api_actor(request)
    app = sel.league_application(actor, code, app_code)
    support = league_support.save(
        actor,
        app,
        score=payload.score,
        reason=payload.reason,
        figures=payload.figures.dict(exclude_none=True),
    )
    return _support_out(app, support)
