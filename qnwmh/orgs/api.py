"""REST endpoints for the organisation tree and its reference data (towns, sectors).

Mounted by the API app as ``router`` (``/api/v1/organisations``, ``/towns``, ``/sectors``),
under its token authentication and error handlers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from qnwmh.core.apischema import CodeStr, Page, PageQuery, api_actor, errors, page_of
from qnwmh.orgs.models import Sector, Town
from qnwmh.orgs.selectors import organisations_visible_to

# Shapes --------------------------------------------------------------------------


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


router = Router(tags=["reference"])


@router.get("/organisations", response={200: Page[OrganisationOut], **errors()})
def organisation_list(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The organisations you administer (the whole tree for city admins)."""
    return page_of(organisations_visible_to(api_actor(request)), page)


@router.get("/organisations/{code}", response={200: OrganisationOut, **errors(404)})
def organisation_detail(request: HttpRequest, code: CodeStr) -> Any:
    return get_object_or_404(organisations_visible_to(api_actor(request)), code=code)


@router.get("/towns", response={200: list[TownOut], **errors()})
def town_list(request: HttpRequest) -> Any:
    return list(Town.objects.filter(active=True))


@router.get("/sectors", response={200: list[SectorOut], **errors()})
def sector_list(request: HttpRequest) -> Any:
    return list(Sector.objects.filter(active=True))
