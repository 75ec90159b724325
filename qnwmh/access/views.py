"""User administration: the account list, a new account with its first role, and one
person's page (roles granted and revoked, activation, unlock, password reset). Their URLs
keep the ``accounts`` namespace (see ``urls.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qnwmh.access import exports, services
from qnwmh.access.forms import RoleGrantForm, UserCreateForm
from qnwmh.access.selectors import users_visible_to
from qnwmh.accounts import lockout
from qnwmh.accounts import services as account_services
from qnwmh.audit.exports import wants_xlsx
from qnwmh.core.actions import attempt
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import require
from qnwmh.core.querystring import Query


@login_required
def user_list(request: HttpRequest) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "accounts.manage_users")
    qs = users_visible_to(actor)
    q = Query(request.GET).text("q", max_length=150)
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(display_name__icontains=q)
    if wants_xlsx(request):
        return exports.users_export(actor, qs, {"q": q})
    page = paginate(request, qs)
    return render(
        request,
        "access/user_list.html",
        {"page": page, "q": q, "qs": querystring_without_page(request)},
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "accounts.manage_users")
    form = UserCreateForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("账号“%(name)s”已创建。") % {"name": user.username})
            return redirect("accounts:user_detail", username=user.username)
    return render(request, "access/user_form.html", {"form": form})


def _visible_user(request: HttpRequest, username: str) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "accounts.manage_users")
    return get_object_or_404(users_visible_to(actor), username=username)


@login_required
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    person = _visible_user(request, username)
    form = RoleGrantForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(actor, user=person, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("角色已授予。"))
            return redirect("accounts:user_detail", username=person.username)
    return _detail_page(request, person, form)


def _detail_page(request: HttpRequest, person: Any, form: Any, **extra: Any) -> HttpResponse:
    return render(
        request,
        "access/user_detail.html",
        {
            "person": person,
            "form": form,
            "locked": lockout.is_locked_anywhere(person.username),
            **extra,
        },
    )


@login_required
@require_POST
def user_unlock(request: HttpRequest, username: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    person = _visible_user(request, username)
    attempt(
        request, lambda: services.user_unlock(actor, user=person), _("账号已解锁，可以重新登录。")
    )
    return redirect("accounts:user_detail", username=person.username)


@login_required
@require_POST
def user_password_reset(request: HttpRequest, username: str) -> HttpResponse:
    """Answers with the detail page itself, showing the temporary password once (never put
    in a redirect, a message or the log)."""
    actor = request.actor  # type: ignore[attr-defined]
    person = _visible_user(request, username)
    try:
        _user, password = services.password_reset(actor, user=person)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:user_detail", username=person.username)
    return _detail_page(request, person, RoleGrantForm(actor), temporary_password=password)


@login_required
@require_POST
def role_revoke(request: HttpRequest, username: str, assignment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    person = _visible_user(request, username)
    assignment = next((a for a in person.active_assignments if a.pk == assignment_id), None)
    if assignment is None:
        raise Http404
    if not is_confirmed(request):
        return ask(
            request,
            _("撤销 %(user)s 的角色：%(role)s？") % {"user": person.username, "role": assignment},
            back=reverse("accounts:user_detail", args=[person.username]),
        )
    attempt(request, lambda: services.role_revoke(actor, assignment=assignment), _("角色已撤销。"))
    return redirect("accounts:user_detail", username=person.username)


@login_required
@require_POST
def user_toggle_active(request: HttpRequest, username: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    person = _visible_user(request, username)
    if person.is_active and not is_confirmed(request):
        return ask(
            request,
            _("停用账号 %(user)s？停用后该账号不能登录，直到重新启用。")
            % {"user": person.username},
            back=reverse("accounts:user_detail", args=[person.username]),
        )
    try:
        account_services.user_set_active(actor, user=person, active=not person.is_active)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("accounts:user_detail", username=person.username)
