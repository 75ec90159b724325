"""Request and response shapes of API v1. Every answer, errors included, has a schema here so
the OpenAPI document says exactly what a client can receive."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

# Shapes written beside their apps' routers, re-exported so API v1 reads them all from here.
from qnwmh.collectives.api import CollectiveCreate as CollectiveCreate
from qnwmh.collectives.api import CollectiveOut as CollectiveOut
from qnwmh.collectives.api import CollectiveStatusStr as CollectiveStatusStr
from qnwmh.collectives.api import CollectiveUpdate as CollectiveUpdate
from qnwmh.collectives.api import EligibilityStr as EligibilityStr
from qnwmh.collectives.api import LevelStr as LevelStr
from qnwmh.collectives.api import MemberIn as MemberIn
from qnwmh.collectives.api import MemberOut as MemberOut
from qnwmh.collectives.api import MemberUpdate as MemberUpdate
from qnwmh.collectives.api import NationalityStr as NationalityStr
from qnwmh.collectives.api import OwnershipStr as OwnershipStr
from qnwmh.collectives.api import TitleAward as TitleAward
from qnwmh.collectives.api import TitleBrief as TitleBrief
from qnwmh.collectives.api import TitleEnd as TitleEnd
from qnwmh.collectives.api import TitleOut as TitleOut
from qnwmh.collectives.api import TitleStatusStr as TitleStatusStr
from qnwmh.core.apischema import MAX_ID as MAX_ID
from qnwmh.core.apischema import MAX_PAGE as MAX_PAGE
from qnwmh.core.apischema import CodeStr as CodeStr
from qnwmh.core.apischema import Error as Error
from qnwmh.core.apischema import IdInt as IdInt
from qnwmh.core.apischema import Line as Line
from qnwmh.core.apischema import Page as Page
from qnwmh.core.apischema import PageQuery as PageQuery
from qnwmh.core.apischema import Text as Text
from qnwmh.core.apischema import page_size_field as page_size_field
from qnwmh.orgs.api import OrganisationOut as OrganisationOut
from qnwmh.orgs.api import SectorOut as SectorOut
from qnwmh.orgs.api import TownOut as TownOut

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
