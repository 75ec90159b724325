"""Back-office pages of the API: the staff-only interactive docs and token management."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja.openapi.docs import Swagger

from qnwmh.access import tokens as services
from qnwmh.access.selectors import tokens_visible_to
from qnwmh.api.v1 import api
from qnwmh.core.actions import attempt
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.pagination import paginate
from qnwmh.core.permissions import require


@login_required
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI over /api/v1/openapi.json, served from local static files."""
    require(request.actor, "api.view_docs")  # type: ignore[attr-defined]
    return Swagger().render_page(request, api)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "api.manage_token")
    secret = None
    if request.method == "POST":
        try:
            _token, secret = services.token_issue(
                actor,
                user=request.user,  # type: ignore[arg-type]
                name=request.POST.get("name", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc))
    page = paginate(request, tokens_visible_to(actor))
    return render(
        request,
        "api/tokens.html",
        {"page": page, "secret": secret, "token_days": settings.API_TOKEN_DAYS},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, code: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    token = get_object_or_404(tokens_visible_to(actor), code=code)
    require(actor, "api.manage_token", token)
    if not is_confirmed(request):
        return ask(
            request,
            _("撤销令牌“%(name)s”？使用该令牌的外部系统将不能再调用接口。") % {"name": token.name},
            back=reverse("api:tokens"),
        )
    attempt(request, lambda: services.token_revoke(actor, token=token), _("令牌已撤销。"))
    return redirect("api:tokens")
