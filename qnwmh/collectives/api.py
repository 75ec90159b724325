"""REST endpoints for collectives, their rosters and titles, calling the same selectors,
services and permission checks as the pages.

Mounted by the API app as ``router`` (``/api/v1/collectives/...``) and ``titles_router``
(``/api/v1/titles``), under its token authentication and error handlers.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from qnwmh.collectives import services
from qnwmh.collectives.models import (
    STARS,
    Collective,
    CollectiveStatus,
    Eligibility,
    Level,
    Member,
    Nationality,
    Ownership,
    Title,
    TitleStatus,
)
from qnwmh.collectives.selectors import (
    CollectiveFilters,
    collective_detail,
    collective_list,
    collectives_visible_to,
    current_members,
)
from qnwmh.core.actor import Actor
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
)
from qnwmh.core.errors import DomainError
from qnwmh.core.masking import age_band, shown_phone
from qnwmh.core.permissions import can, require
from qnwmh.core.querystring import MAX_DATE, MIN_DATE
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.orgs.selectors import bodies_visible_to

if TYPE_CHECKING:  # the checker sees plain strings; pydantic the exact choices
    OwnershipStr = str
    LevelStr = str
    NationalityStr = str
    EligibilityStr = str
    TitleStatusStr = str
    CollectiveStatusStr = str
else:
    OwnershipStr = Literal[tuple(Ownership.values)]
    LevelStr = Literal[tuple(Level.values)]
    NationalityStr = Literal[tuple(Nationality.values)]
    EligibilityStr = Literal[tuple(Eligibility.values)]
    TitleStatusStr = Literal[tuple(TitleStatus.values)]
    CollectiveStatusStr = Literal[tuple(CollectiveStatus.values)]


# Shapes -----------------------------------------------------------------------------


class TitleBrief(Schema):
    code: str
    level: str
    stars: int
    session_no: int


class CollectiveOut(Schema):
    code: str
    name: str
    work_unit: str
    body: str
    body_name: str
    town: int
    town_name: str
    sector: int | None
    sector_name: str | None
    ownership: str
    address: str
    supervision_phone: str
    supervision_email: str
    pledges: str
    status: str
    eligibility: str
    member_count: int
    active_titles: list[TitleBrief]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_body(obj: Collective) -> str:
        return obj.body.code

    @staticmethod
    def resolve_body_name(obj: Collective) -> str:
        return obj.body.name

    @staticmethod
    def resolve_town(obj: Collective) -> int:
        return obj.town_id

    @staticmethod
    def resolve_town_name(obj: Collective) -> str:
        return obj.town.name

    @staticmethod
    def resolve_sector(obj: Collective) -> int | None:
        return obj.sector_id

    @staticmethod
    def resolve_sector_name(obj: Collective) -> str | None:
        return obj.sector.name if obj.sector_id and obj.sector else None

    @staticmethod
    def resolve_active_titles(obj: Any) -> list[Any]:
        titles = getattr(obj, "active_titles", None)
        if titles is None:
            titles = list(obj.titles.active().order_by("level"))
        return titles


class CollectiveCreate(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Line = Field(min_length=1, max_length=100)
    work_unit: Line = Field(min_length=1, max_length=100)
    body: CodeStr
    town: IdInt
    sector: IdInt | None = None
    ownership: OwnershipStr
    address: Line = Field(default="", max_length=200)
    supervision_phone: Line = Field(default="", max_length=30)
    supervision_email: Line = Field(default="", max_length=254)
    pledges: Text = Field(default="", max_length=5000)


class CollectiveUpdate(Schema):
    """Only the fields sent are changed. Managing body, town, sector and ownership are for
    league staff: a collective manager who sends them is refused (403). Status and titles
    are not fields of this request."""

    model_config = ConfigDict(extra="forbid")
    name: Line | None = Field(default=None, min_length=1, max_length=100)
    work_unit: Line | None = Field(default=None, min_length=1, max_length=100)
    body: CodeStr | None = None
    town: IdInt | None = None
    sector: IdInt | None = None
    ownership: OwnershipStr | None = None
    address: Line | None = Field(default=None, max_length=200)
    supervision_phone: Line | None = Field(default=None, max_length=30)
    supervision_email: Line | None = Field(default=None, max_length=254)
    pledges: Text | None = Field(default=None, max_length=5000)


# Members ---------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    name: str
    birth_date: datetime.date | None
    age_band: str
    nationality: str
    post: str
    phone: str
    is_leader: bool
    joined_on: datetime.date
    left_on: datetime.date | None


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Line = Field(min_length=1, max_length=50)
    birth_date: datetime.date
    nationality: NationalityStr = "CN"
    post: Line = Field(default="", max_length=50)
    phone: Line = Field(
        default="",
        max_length=30,
        description="Mobile (13812345678) or landline with area code (0760-88881234); "
        "stored in that written form.",
    )
    is_leader: bool = False


class MemberUpdate(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Line | None = Field(default=None, min_length=1, max_length=50)
    birth_date: datetime.date | None = None
    nationality: NationalityStr | None = None
    post: Line | None = Field(default=None, max_length=50)
    phone: Line | None = Field(default=None, max_length=30)
    is_leader: bool | None = None


# Titles ----------------------------------------------------------------------------------


class TitleOut(Schema):
    code: str
    collective: str
    collective_name: str
    level: str
    stars: int
    session_no: int
    year: int
    status: str
    awarded_on: datetime.date
    ended_on: datetime.date | None
    end_reason: str
    external_id: str

    @staticmethod
    def resolve_collective(obj: Title) -> str:
        return obj.collective.code

    @staticmethod
    def resolve_collective_name(obj: Title) -> str:
        return obj.collective.name


# What ``TitleOut`` reads: the collective's row is wide and only two of its columns are shown.
TITLE_OUT_COLUMNS = (
    *(name for name in TitleOut.model_fields if not name.startswith("collective")),
    "collective__code",
    "collective__name",
)


class TitleAward(Schema):
    model_config = ConfigDict(extra="forbid")
    level: LevelStr
    stars: int = Field(default=1, ge=0, le=3)
    session_no: int = Field(ge=1, le=999)
    year: int = Field(ge=1990, le=2100)
    awarded_on: datetime.date
    external_id: Line = Field(default="", max_length=64)


class TitleEnd(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: Line = Field(min_length=1, max_length=200)
    outcome: Literal["revoked", "expired"] = "revoked"


# Endpoints ---------------------------------------------------------------------------------

router = Router(tags=["collectives"])


class CollectiveQuery(PageQuery):
    q: Line = Field(default="", max_length=50, description="名称或所在单位包含的文字")
    body: CodeStr | None = Field(default=None, description="组织管理机构代码")
    town: IdInt | None = None
    sector: IdInt | None = None
    ownership: OwnershipStr | None = None
    level: LevelStr | Literal["none"] | None = Field(
        default=None, description="持有该级别有效称号；none 为无有效称号"
    )
    stars: int | None = Field(
        default=None,
        ge=STARS[0],
        le=STARS[-1],
        description="持有该星级的有效称号（与 level 同用：该级别称号的星级）",
    )
    eligibility: EligibilityStr | None = None
    status: CollectiveStatusStr | None = None
    active_on: datetime.date | None = Field(
        default=None,
        ge=MIN_DATE,
        le=MAX_DATE,
        description="该日终了时在册（已建档且未归档）的集体",
    )


def _filters(actor: Actor, q: CollectiveQuery) -> CollectiveFilters | None:
    body_id: int | None = None
    if q.body:
        body_id = bodies_visible_to(actor).filter(code=q.body).values_list("id", flat=True).first()
        if body_id is None:
            return None  # a body outside the actor's scope matches nothing
    return CollectiveFilters(
        q=q.q.strip(),
        body=body_id,
        town=q.town,
        sector=q.sector,
        ownership=q.ownership or "",
        level=q.level or "",
        stars=q.stars,
        eligibility=q.eligibility or "",
        status=q.status or "",
        active_on=q.active_on,
    )


@router.get("", response={200: Page[CollectiveOut], **errors(403)})
def collective_list_api(request: HttpRequest, query: Query[CollectiveQuery]) -> Any:
    """Collectives you may see, with the back office's filters and search."""
    actor = api_actor(request)
    require(actor, "collectives.view_list")
    filters = _filters(actor, query)
    qs = collective_list(actor, filters) if filters else Collective.objects.none()
    return page_of(qs, query)


def _town(pk: int) -> Town:
    town = Town.objects.filter(pk=pk, active=True).first()
    if town is None:
        raise DomainError(_("所选镇区不存在或已停用。"), field="town")
    return town


def _sector(pk: int | None) -> Sector | None:
    if pk is None:
        return None
    sector = Sector.objects.filter(pk=pk, active=True).first()
    if sector is None:
        raise DomainError(_("所选行业系统不存在或已停用。"), field="sector")
    return sector


def _body(actor: Actor, code: str) -> Organisation:
    body = bodies_visible_to(actor).filter(code=code).first()
    if body is None:
        raise DomainError(_("所选组织管理机构不存在或不在您的管理范围内。"), field="body")
    return body


def _collective_values(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "body" in values:
        values["body"] = _body(actor, values["body"])
    if "town" in values:
        values["town"] = _town(values["town"])
    if "sector" in values:
        values["sector"] = _sector(values["sector"])
    return values


@router.post("", response={201: CollectiveOut, **errors(400, 403)})
def collective_create(request: HttpRequest, payload: CollectiveCreate) -> Any:
    actor = api_actor(request)
    require(actor, "collectives.create")
    values = _collective_values(actor, payload.model_dump())
    collective = services.collective_create(actor, values=values)
    return Status(201, collective_detail(actor, collective.code))


@router.get("/{code}", response={200: CollectiveOut, **errors(404)})
def collective_get(request: HttpRequest, code: CodeStr) -> Any:
    return collective_detail(api_actor(request), code)


@router.patch("/{code}", response={200: CollectiveOut, **errors(400, 403, 404)})
def collective_update(request: HttpRequest, code: CodeStr, payload: CollectiveUpdate) -> Any:
    """Change the fields sent. Managing body, town, sector and ownership need league staff."""
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.edit", collective)
    # Fields not sent stay as they are; only the sector may be cleared (sent as null).
    data = {
        k: v
        for k, v in payload.model_dump(exclude_unset=True).items()
        if v is not None or k == "sector"
    }
    governed = set(data) & services.GOVERNED_FIELDS
    if governed and not can(actor, "collectives.edit_governed_fields", collective):
        raise PermissionDenied("collectives.edit_governed_fields")
    services.collective_update(actor, collective=collective, values=_collective_values(actor, data))
    return collective_detail(actor, code)


# Members ----------------------------------------------------------------------------------


def _member_out(member: Member, full: bool) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.name,
        # Outside the collective and its body: the age band only (one rule, core.masking).
        "birth_date": member.birth_date if full else None,
        "age_band": age_band(member.birth_date),
        "nationality": member.nationality,
        "post": member.post,
        "phone": shown_phone(member.phone, full),
        "is_leader": member.is_leader,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
    }


def _editable(request: HttpRequest, code: str) -> tuple[Actor, Collective]:
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.edit_roster", collective)
    return actor, collective


@router.get("/{code}/members", response={200: Page[MemberOut], **errors(404)})
def member_list(request: HttpRequest, code: CodeStr, page: Query[PageQuery]) -> Any:
    """The current roster. Unless you may see personal data, phone numbers are masked and
    ``birth_date`` is null (``age_band`` is always given)."""
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    full = can(actor, "collectives.view_personal_data", collective)
    result = page_of(current_members(collective), page)
    result["results"] = [_member_out(m, full) for m in result["results"]]
    return result


@router.post("/{code}/members", response={201: MemberOut, **errors(400, 403, 404)})
def member_add(request: HttpRequest, code: CodeStr, payload: MemberIn) -> Any:
    actor, collective = _editable(request, code)
    member = services.member_add(actor, collective=collective, values=payload.model_dump())
    return Status(
        201, _member_out(member, can(actor, "collectives.view_personal_data", collective))
    )


@router.patch("/{code}/members/{member_id}", response={200: MemberOut, **errors(400, 403, 404)})
def member_update(
    request: HttpRequest, code: CodeStr, member_id: IdInt, payload: MemberUpdate
) -> Any:
    actor, collective = _editable(request, code)
    member = get_object_or_404(current_members(collective), pk=member_id)
    values = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    member = services.member_update(actor, member=member, values=values)
    return _member_out(member, can(actor, "collectives.view_personal_data", collective))


@router.delete("/{code}/members/{member_id}", response={200: MemberOut, **errors(400, 403, 404)})
def member_remove(request: HttpRequest, code: CodeStr, member_id: IdInt) -> Any:
    """Take the member off the current roster. The record is kept (with its leaving date)."""
    actor, collective = _editable(request, code)
    member = get_object_or_404(current_members(collective), pk=member_id)
    member = services.member_remove(actor, member=member)
    return _member_out(member, can(actor, "collectives.view_personal_data", collective))


# Titles -----------------------------------------------------------------------------------


@router.get("/{code}/titles", response={200: list[TitleOut], **errors(404)})
def collective_titles(request: HttpRequest, code: CodeStr) -> Any:
    """The collective's whole title history, ended titles included."""
    collective = collective_detail(api_actor(request), code)
    return list(collective.titles.select_related("collective"))


@router.post("/{code}/titles", response={201: TitleOut, **errors(400, 403, 404)})
def title_award(request: HttpRequest, code: CodeStr, payload: TitleAward) -> Any:
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    title = services.title_award(actor, collective=collective, **payload.model_dump())
    return Status(201, title)


@router.post("/{code}/titles/{title_code}/end", response={200: TitleOut, **errors(400, 403, 404)})
def title_end(request: HttpRequest, code: CodeStr, title_code: CodeStr, payload: TitleEnd) -> Any:
    """Revoke (撤销) or expire (失效) an active title; the record stays."""
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    title = get_object_or_404(collective.titles.select_related("collective"), code=title_code)
    end = services.title_revoke if payload.outcome == "revoked" else services.title_expire
    return end(actor, title=title, reason=payload.reason)


titles_router = Router(tags=["titles"])


class TitleQuery(PageQuery):
    level: LevelStr | None = None
    status: TitleStatusStr | None = None


@titles_router.get("", response={200: Page[TitleOut], **errors()})
def title_list(request: HttpRequest, query: Query[TitleQuery]) -> Any:
    """Titles of the collectives you may see, newest first."""
    qs = Title.objects.filter(collective__in=collectives_visible_to(api_actor(request)))
    if query.level:
        qs = qs.filter(level=query.level)
    if query.status:
        qs = qs.filter(status=query.status)
    return page_of(qs.select_related("collective").only(*TITLE_OUT_COLUMNS), query)
