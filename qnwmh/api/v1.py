"""REST API v1 (django-ninja). The same selectors, services and permission checks as the back
office: an object outside the actor's scope answers 404, a visible object the actor may not
change answers 403, a broken rule answers 400 with the service's Chinese message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.responses import Status
from pydantic import Field

from qnwmh.access import tokens as token_services
from qnwmh.access.actor import actor_for
from qnwmh.access.auth import BearerToken
from qnwmh.access.selectors import tokens_visible_to
from qnwmh.accounts.middleware import client_ip
from qnwmh.api import schemas as s
from qnwmh.api import validation
from qnwmh.collectives.api import router as collectives_router
from qnwmh.collectives.api import titles_router
from qnwmh.collectives.models import Collective
from qnwmh.core.apischema import api_actor, errors, page_of, public_errors
from qnwmh.core.errors import DomainError
from qnwmh.orgs.api import router as orgs_router
from qnwmh.public.selectors import (
    PUBLIC_FIELDS,
    DirectoryFilters,
    best_title,
    directory,
    listed_collective,
)

# Routers that moved out of this module keep the operation ids they were published with.
MOVED_ROUTERS = ("qnwmh.collectives.api", "qnwmh.orgs.api")


class _NinjaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        if operation.view_func.__module__ in MOVED_ROUTERS:
            return f"qnwmh_api_v1_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)


api = _NinjaAPI(
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


# Routers of earlier apps, written next to their services ------------------------------------

api.add_router("", orgs_router)  # /organisations, /towns, /sectors
api.add_router("/collectives", collectives_router)
api.add_router("/titles", titles_router)


# Public directory -------------------------------------------------------------------------

public_router = Router(tags=["public"], auth=None)


def _public(c: Collective) -> dict[str, Any]:
    best = best_title(c.active_titles)  # type: ignore[attr-defined]
    assert best is not None  # listed collectives hold an active title
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
    filters = DirectoryFilters(
        q=query.q.strip(),
        town=query.town,
        sector=query.sector,
        level=query.level or "",
        stars=query.stars,
    )
    qs = directory(filters, fields=PUBLIC_FIELDS)
    if query.stars == 0:
        qs = qs.none()  # no title has no stars (the web page ignores 0; the API never did)
    result = page_of(qs, query)
    result["results"] = [_public(c) for c in result["results"]]
    return result


@public_router.get(
    "/collectives/{code}", response={200: s.PublicCollectiveDetail, 404: s.Error, 422: s.Error}
)
def public_collective(request: HttpRequest, code: s.CodeStr) -> Any:
    collective = listed_collective(code)
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

from qnwmh.awards.api import ROUTERS as awards_routers  # noqa: E402
from qnwmh.certification.api import ROUTERS as certification_routers  # noqa: E402
from qnwmh.consultation.api import router as consultation_router  # noqa: E402
from qnwmh.creation.api import router as creation_router  # noqa: E402
from qnwmh.cycles.api import router as cycles_router  # noqa: E402
from qnwmh.dashboards.api import router as dashboards_router  # noqa: E402
from qnwmh.exchange.api import router as exchange_router  # noqa: E402
from qnwmh.knowledge.api import router as knowledge_router  # noqa: E402
from qnwmh.oversight.api import ROUTERS as oversight_routers  # noqa: E402
from qnwmh.partnerships.api import router as partnerships_router  # noqa: E402
from qnwmh.recognition.api import router as recognition_router  # noqa: E402
from qnwmh.supervision.api import router as supervision_router  # noqa: E402
from qnwmh.training.api import router as training_router  # noqa: E402

api.add_router("", cycles_router)  # /cycles, /cycles/{code}/registrations, ...
api.add_router("/supervision", supervision_router)
api.add_router("", creation_router)  # /creation/{code}/entries, /creation/compliance, ...
api.add_router("/knowledge", knowledge_router)
for certification_router in certification_routers:
    api.add_router("/certification", certification_router)
for awards_router in awards_routers:
    api.add_router("/awards", awards_router)
for oversight_router in oversight_routers:
    api.add_router("/oversight", oversight_router)
api.add_router("/training", training_router)
api.add_router("/exchange", exchange_router)
api.add_router("/partnerships", partnerships_router)
api.add_router("/consultation", consultation_router)
api.add_router("/recognition", recognition_router)
api.add_router("/dashboards", dashboards_router)
