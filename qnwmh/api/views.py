"""Back-office pages of the API: the staff-only interactive docs and token management."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja.openapi.docs import Swagger

from qnwmh.access import tokens as services
from qnwmh.access.models import ApiToken
from qnwmh.access.selectors import token_detail, tokens_visible_to
from qnwmh.api.v1 import api
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate


def _tokens_url(token: ApiToken) -> str:
    return reverse("api:tokens")


@guarded("api.view_docs")
def docs(request: ActorRequest) -> HttpResponse:
    """Swagger UI over /api/v1/openapi.json, served from local static files."""
    return Swagger().render_page(request, api)


@guarded("api.manage_token")
def token_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    secret = None
    if request.method == "POST":
        try:
            _token, secret = services.token_issue(
                actor,
                user=request.user,  # type: ignore[arg-type]
                name=request.POST.get("name", ""),
            )
        except DomainError as exc:
            # The page answers in place: it shows the list, and the secret once on success.
            messages.error(request, str(exc))
    page = paginate(request, tokens_visible_to(actor))
    return render(
        request,
        "api/tokens.html",
        {"page": page, "secret": secret, "token_days": settings.API_TOKEN_DAYS},
    )


@guarded("api.manage_token", load=token_detail, back=_tokens_url)
@require_POST
def token_revoke(request: ActorRequest, token: ApiToken) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("撤销令牌“%(name)s”？使用该令牌的外部系统将不能再调用接口。") % {"name": token.name},
            back=reverse("api:tokens"),
        )
    services.token_revoke(request.actor, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("api:tokens")
