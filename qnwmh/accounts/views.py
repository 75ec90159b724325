from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qnwmh.accounts import exports, services
from qnwmh.accounts.forms import LoginForm, PasswordChangeForm
from qnwmh.accounts.models import LoginEvent
from qnwmh.accounts.selectors import login_events_visible_to
from qnwmh.audit.exports import wants_xlsx
from qnwmh.core.errors import DomainError
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.querystring import Query


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What axes answers once a username is locked: the login page with a lockout notice,
    identical whether or not the username exists."""
    form = LoginForm(request, data=request.POST or None)
    form.errors.clear()
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True},
        status=429,
    )


@guarded()
def password_change(request: ActorRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                request.actor,
                user=form.user,
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            form.add_error("new_password1", str(exc))
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("密码已修改。"))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@guarded("accounts.view_login_log")
def login_log(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    qs = login_events_visible_to(actor).select_related("user")
    query = Query(request.GET)
    username = query.text("username", max_length=150)
    kind = query.choice("kind", LoginEvent.Kind.values)
    if username:
        qs = qs.filter(username__icontains=username)
    if kind:
        qs = qs.filter(kind=kind)
    if wants_xlsx(request):
        return exports.login_log_export(actor, qs, {"username": username, "kind": kind})
    page = paginate(request, qs, per_page=50)
    return render(
        request,
        "accounts/login_log.html",
        {
            "page": page,
            "username": username,
            "kind": kind,
            "kinds": LoginEvent.Kind.choices,
            "qs": querystring_without_page(request),
        },
    )
