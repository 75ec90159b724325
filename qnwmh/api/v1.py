"""REST API v1 (django-ninja). The same selectors, services and permission checks as the back
office: an object outside the actor's scope answers 404, a visible object the actor may not
change answers 403, a broken rule answers 400 with the service's Chinese message."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import Status
from pydantic import Field

from qnwmh.access import tokens as token_services
from qnwmh.access.actor import actor_for
from qnwmh.access.auth import BearerToken, api_actor
from qnwmh.access.selectors import tokens_visible_to
from qnwmh.accounts.middleware import client_ip
from qnwmh.api import schemas as s
from qnwmh.api import validation
from qnwmh.collectives import services
from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Level,
    Member,
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
from qnwmh.core.apischema import errors, public_errors
from qnwmh.core.errors import DomainError
from qnwmh.core.masking import age_band, shown_phone
from qnwmh.core.permissions import can, require
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.orgs.selectors import bodies_visible_to, organisations_visible_to

api = NinjaAPI(
    title="青年文明号 API",
    version="1",
    description=_(
        "青年文明号创建管理平台接口。令牌通过 POST /api/v1/auth/token 获取，"
        "请求头携带 Authorization: Bearer <令牌>。"
    ),
    auth=BearerToken(),
    urls_namespace="api:v1",
    docs_url=None,  # the interactive docs are a staff-only page, see qnwmh.api.views
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail, "field": None}
    body.update(extra)
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, 400, str(exc), field=exc.field)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("您无权执行此操作。"))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("未找到该对象，或您无权查看。"))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("请提供有效的接口令牌。"))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises this for a body that is not JSON at all.
    return _error(
        request,
        exc.status_code,
        _("请求体不是有效的 JSON。") if exc.status_code == 400 else str(exc),
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": validation.message(e),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    field = errors[0]["loc"][-1] if errors and errors[0]["loc"] else None
    return _error(request, 422, _("请求数据不符合要求，请检查后重试。"), field=field, errors=errors)


PUBLIC_ERRORS = public_errors()


def _page(qs: QuerySet[Any], q: s.PageQuery) -> dict[str, Any]:
    """One COUNT and one page query (plus the queryset's prefetches), whatever the size."""
    start = (q.page - 1) * q.page_size
    return {
        "count": qs.count(),
        "page": q.page,
        "page_size": q.page_size,
        "results": list(qs[start : start + q.page_size]),
    }


# Auth ------------------------------------------------------------------------------------

auth_router = Router(tags=["auth"])


@auth_router.post(
    "/token",
    auth=None,
    response={200: s.TokenIssued, 400: s.Error, 401: s.Error, 422: s.Error, 429: s.Error},
)
def token_create(request: HttpRequest, payload: s.TokenIn) -> Any:
    """Exchange a username and password for a token. Failures count toward the account
    lockout exactly as on the login page (django-axes)."""
    # This endpoint reads JSON only. Axes copies request.POST into its failure record, and a
    # request that claims multipart without a boundary would make Django's form parser raise.
    request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in JSON here instead of letting the axes middleware send the HTML login page;
        # the lockout itself is already recorded.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return Status(
            429, {"detail": _("登录失败次数过多，账号已暂时锁定，请稍后再试。"), "field": None}
        )
    if user is None:
        return Status(401, {"detail": _("用户名或密码不正确。"), "field": None})
    actor = actor_for(user, client_ip(request))
    token, secret = token_services.token_issue(actor, user=user, name=payload.name)
    return Status(200, {"token": secret, "code": token.code})


@auth_router.get("/tokens", response={200: list[s.TokenOut], **errors()})
def token_list(request: HttpRequest) -> Any:
    """Your tokens (a city admin sees everyone's), newest first, at most the page cap."""
    return list(tokens_visible_to(api_actor(request))[: settings.API_MAX_PAGE_SIZE])


@auth_router.post("/tokens/{code}/revoke", response={200: s.TokenOut, **errors(400, 403, 404)})
def token_revoke(request: HttpRequest, code: s.CodeStr) -> Any:
    actor = api_actor(request)
    token = get_object_or_404(tokens_visible_to(actor), code=code)
    return token_services.token_revoke(actor, token=token)


api.add_router("/auth", auth_router)


# Reference data -----------------------------------------------------------------------------

ref_router = Router(tags=["reference"])


@ref_router.get("/organisations", response={200: s.Page[s.OrganisationOut], **errors()})
def organisation_list(request: HttpRequest, page: Query[s.PageQuery]) -> Any:
    """The organisations you administer (the whole tree for city admins)."""
    return _page(organisations_visible_to(api_actor(request)), page)


@ref_router.get("/organisations/{code}", response={200: s.OrganisationOut, **errors(404)})
def organisation_detail(request: HttpRequest, code: s.CodeStr) -> Any:
    return get_object_or_404(organisations_visible_to(api_actor(request)), code=code)


@ref_router.get("/towns", response={200: list[s.TownOut], **errors()})
def town_list(request: HttpRequest) -> Any:
    return list(Town.objects.filter(active=True))


@ref_router.get("/sectors", response={200: list[s.SectorOut], **errors()})
def sector_list(request: HttpRequest) -> Any:
    return list(Sector.objects.filter(active=True))


api.add_router("", ref_router)


# Collectives -------------------------------------------------------------------------------

collective_router = Router(tags=["collectives"])


class CollectiveQuery(s.PageQuery):
    q: s.Line = Field(default="", max_length=50, description="名称或所在单位包含的文字")
    body: s.CodeStr | None = Field(default=None, description="组织管理机构代码")
    town: s.IdInt | None = None
    sector: s.IdInt | None = None
    ownership: s.OwnershipStr | None = None
    level: s.LevelStr | Literal["none"] | None = Field(
        default=None, description="持有该级别有效称号；none 为无有效称号"
    )
    eligibility: s.EligibilityStr | None = None


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
        eligibility=q.eligibility or "",
    )


@collective_router.get("", response={200: s.Page[s.CollectiveOut], **errors(403)})
def collective_list_api(request: HttpRequest, query: Query[CollectiveQuery]) -> Any:
    """Collectives you may see, with the back office's filters and search."""
    actor = api_actor(request)
    require(actor, "collectives.view_list")
    filters = _filters(actor, query)
    qs = collective_list(actor, filters) if filters else Collective.objects.none()
    return _page(qs, query)


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


@collective_router.post("", response={201: s.CollectiveOut, **errors(400, 403)})
def collective_create(request: HttpRequest, payload: s.CollectiveCreate) -> Any:
    actor = api_actor(request)
    require(actor, "collectives.create")
    values = _collective_values(actor, payload.model_dump())
    collective = services.collective_create(actor, values=values)
    return Status(201, collective_detail(actor, collective.code))


@collective_router.get("/{code}", response={200: s.CollectiveOut, **errors(404)})
def collective_get(request: HttpRequest, code: s.CodeStr) -> Any:
    return collective_detail(api_actor(request), code)


@collective_router.patch("/{code}", response={200: s.CollectiveOut, **errors(400, 403, 404)})
def collective_update(request: HttpRequest, code: s.CodeStr, payload: s.CollectiveUpdate) -> Any:
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


@collective_router.get("/{code}/members", response={200: s.Page[s.MemberOut], **errors(404)})
def member_list(request: HttpRequest, code: s.CodeStr, page: Query[s.PageQuery]) -> Any:
    """The current roster. Unless you may see personal data, phone numbers are masked and
    ``birth_date`` is null (``age_band`` is always given)."""
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    full = can(actor, "collectives.view_personal_data", collective)
    result = _page(current_members(collective), page)
    result["results"] = [_member_out(m, full) for m in result["results"]]
    return result


@collective_router.post("/{code}/members", response={201: s.MemberOut, **errors(400, 403, 404)})
def member_add(request: HttpRequest, code: s.CodeStr, payload: s.MemberIn) -> Any:
    actor, collective = _editable(request, code)
    member = services.member_add(actor, collective=collective, values=payload.model_dump())
    return Status(
        201, _member_out(member, can(actor, "collectives.view_personal_data", collective))
    )


@collective_router.patch(
    "/{code}/members/{member_id}", response={200: s.MemberOut, **errors(400, 403, 404)}
)
def member_update(
    request: HttpRequest, code: s.CodeStr, member_id: s.IdInt, payload: s.MemberUpdate
) -> Any:
    actor, collective = _editable(request, code)
    member = get_object_or_404(current_members(collective), pk=member_id)
    values = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    member = services.member_update(actor, member=member, values=values)
    return _member_out(member, can(actor, "collectives.view_personal_data", collective))


@collective_router.delete(
    "/{code}/members/{member_id}", response={200: s.MemberOut, **errors(400, 403, 404)}
)
def member_remove(request: HttpRequest, code: s.CodeStr, member_id: s.IdInt) -> Any:
    """Take the member off the current roster. The record is kept (with its leaving date)."""
    actor, collective = _editable(request, code)
    member = get_object_or_404(current_members(collective), pk=member_id)
    member = services.member_remove(actor, member=member)
    return _member_out(member, can(actor, "collectives.view_personal_data", collective))


# Titles -----------------------------------------------------------------------------------


@collective_router.get("/{code}/titles", response={200: list[s.TitleOut], **errors(404)})
def collective_titles(request: HttpRequest, code: s.CodeStr) -> Any:
    """The collective's whole title history, ended titles included."""
    collective = collective_detail(api_actor(request), code)
    return list(collective.titles.select_related("collective"))


@collective_router.post("/{code}/titles", response={201: s.TitleOut, **errors(400, 403, 404)})
def title_award(request: HttpRequest, code: s.CodeStr, payload: s.TitleAward) -> Any:
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    title = services.title_award(actor, collective=collective, **payload.model_dump())
    return Status(201, title)


@collective_router.post(
    "/{code}/titles/{title_code}/end", response={200: s.TitleOut, **errors(400, 403, 404)}
)
def title_end(
    request: HttpRequest, code: s.CodeStr, title_code: s.CodeStr, payload: s.TitleEnd
) -> Any:
    """Revoke (撤销) or expire (失效) an active title; the record stays."""
    actor = api_actor(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    title = get_object_or_404(collective.titles.select_related("collective"), code=title_code)
    end = services.title_revoke if payload.outcome == "revoked" else services.title_expire
    return end(actor, title=title, reason=payload.reason)


api.add_router("/collectives", collective_router)

titles_router = Router(tags=["titles"])


class TitleQuery(s.PageQuery):
    level: s.LevelStr | None = None
    status: s.TitleStatusStr | None = None


@titles_router.get("", response={200: s.Page[s.TitleOut], **errors()})
def title_list(request: HttpRequest, query: Query[TitleQuery]) -> Any:
    """Titles of the collectives you may see, newest first."""
    qs = Title.objects.filter(collective__in=collectives_visible_to(api_actor(request)))
    if query.level:
        qs = qs.filter(level=query.level)
    if query.status:
        qs = qs.filter(status=query.status)
    return _page(qs.select_related("collective"), query)


api.add_router("/titles", titles_router)


# Public directory -------------------------------------------------------------------------

public_router = Router(tags=["public"], auth=None)

LEVEL_RANK = {Level.NATIONAL: 0, Level.PROVINCIAL: 1, Level.CITY: 2, Level.DISTRICT: 3}


def _titled() -> QuerySet[Collective]:
    active = Title.objects.active().filter(collective=OuterRef("pk"))
    return (
        Collective.objects.filter(Exists(active), status=CollectiveStatus.ACTIVE)
        .select_related("town", "sector")
        .only(
            "code",
            "name",
            "work_unit",
            "town__name",
            "sector__name",
            "pledges",
            "supervision_phone",
            "supervision_email",
        )
        .prefetch_related(
            Prefetch(
                "titles",
                queryset=Title.objects.active(),
                to_attr="active_titles",
            )
        )
    )


def _public(c: Collective) -> dict[str, Any]:
    best = min(c.active_titles, key=lambda t: (LEVEL_RANK.get(t.level, 9), -t.stars))  # type: ignore[attr-defined]
    return {
        "code": c.code,
        "name": c.name,
        "work_unit": c.work_unit,
        "town": c.town.name,
        "sector": c.sector.name if c.sector else None,
        "level": best.level,
        "stars": best.stars,
        "session_no": best.session_no,
    }


class PublicQuery(s.PageQuery):
    q: s.Line = Field(default="", max_length=50, description="名称包含的文字（一两个字也可）")
    town: s.IdInt | None = None
    sector: s.IdInt | None = None
    level: s.LevelStr | None = None
    stars: int | None = Field(default=None, ge=0, le=3)


@public_router.get("/collectives", response={200: s.Page[s.PublicCollective], **PUBLIC_ERRORS})
def public_directory(request: HttpRequest, query: Query[PublicQuery]) -> Any:
    """Collectives holding an active title. No login. No member data."""
    qs = _titled()
    if query.q.strip():
        qs = qs.filter(name__icontains=query.q.strip())
    if query.town:
        qs = qs.filter(town_id=query.town)
    if query.sector:
        qs = qs.filter(sector_id=query.sector)
    if query.level or query.stars is not None:
        cond: dict[str, Any] = {"collective": OuterRef("pk"), "status": TitleStatus.ACTIVE}
        if query.level:
            cond["level"] = query.level
        if query.stars is not None:
            cond["stars"] = query.stars
        qs = qs.filter(Exists(Title.objects.filter(**cond)))
    result = _page(qs.order_by("sort_key", "id"), query)
    result["results"] = [_public(c) for c in result["results"]]
    return result


@public_router.get(
    "/collectives/{code}", response={200: s.PublicCollectiveDetail, 404: s.Error, 422: s.Error}
)
def public_collective(request: HttpRequest, code: s.CodeStr) -> Any:
    collective = get_object_or_404(_titled(), code=code)
    return {
        **_public(collective),
        "pledges": collective.pledges,
        "supervision_phone": collective.supervision_phone,
        "supervision_email": collective.supervision_email,
        "titles": list(collective.titles.all()),
    }


api.add_router("/public", public_router)


# Routers of earlier apps --------------------------------------------------------------------
# Written next to their services; mounted here under the same token auth and error handlers.

from qnwmh.creation.api import router as creation_router  # noqa: E402
from qnwmh.cycles.api import router as cycles_router  # noqa: E402
from qnwmh.supervision.api import router as supervision_router  # noqa: E402

api.add_router("", cycles_router)  # /cycles, /cycles/{code}/registrations, ...
api.add_router("/supervision", supervision_router)
api.add_router("", creation_router)  # /creation/{code}/entries, /creation/compliance, ...
