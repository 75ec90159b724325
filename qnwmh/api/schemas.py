"""Request and response shapes of API v1. Every answer, errors included, has a schema here so
the OpenAPI document says exactly what a client can receive."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict, Field

from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Eligibility,
    Level,
    Nationality,
    Ownership,
    Title,
    TitleStatus,
)
from qnwmh.core.apischema import MAX_ID as MAX_ID
from qnwmh.core.apischema import CodeStr as CodeStr
from qnwmh.core.apischema import Error as Error
from qnwmh.core.apischema import IdInt as IdInt
from qnwmh.core.apischema import Line as Line
from qnwmh.core.apischema import Text as Text

MAX_PAGE = 100_000


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


T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def page_size_field() -> Any:
    return Field(default=settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


class PageQuery(Schema):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = page_size_field()


# Auth -----------------------------------------------------------------------------------


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    username: Line = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=128)
    name: Line = Field(default="", max_length=100)


class TokenIssued(Schema):
    token: str
    code: str


class TokenOut(Schema):
    code: str
    prefix: str
    name: str
    username: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    expires_at: datetime.datetime

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return str(obj.user.username)


# Reference data --------------------------------------------------------------------------


class TownOut(Schema):
    id: int
    name: str
    kind: str


class SectorOut(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    body_kind: str
    parent: str | None
    town: int | None
    sector: int | None
    contact_phone: str
    contact_email: str
    active: bool

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_town(obj: Any) -> int | None:
        return obj.town_id

    @staticmethod
    def resolve_sector(obj: Any) -> int | None:
        return obj.sector_id


# Collectives -----------------------------------------------------------------------------


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


# Public directory --------------------------------------------------------------------------


class PublicTitle(Schema):
    level: str
    stars: int
    session_no: int
    year: int
    status: str
    awarded_on: datetime.date
    ended_on: datetime.date | None


class PublicCollective(Schema):
    """What anyone may read about a titled collective. No member data, ever."""

    code: str
    name: str
    work_unit: str
    town: str
    sector: str | None
    level: str
    stars: int
    session_no: int


class PublicCollectiveDetail(PublicCollective):
    pledges: str
    supervision_phone: str
    supervision_email: str
    titles: list[PublicTitle]
