"""User administration: the account list, a new account with its first role, and one
person's page (roles granted and revoked, activation, unlock, password reset). Their URLs
keep the ``accounts`` namespace (see ``urls.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qnwmh.access import exports, services
from qnwmh.access.forms import RoleGrantForm, UserCreateForm
from qnwmh.access.models import RoleAssignment
from qnwmh.access.selectors import users_visible_to, visible_assignment, visible_user
from qnwmh.accounts import lockout
from qnwmh.accounts import services as account_services
from qnwmh.accounts.models import User
from qnwmh.audit.exports import wants_xlsx
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.guard import ActorRequest, View, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query

# The actions on one person's page declare ``accounts.manage_users`` (about the actor alone,
# so it is checked before the lookup: who manages no accounts gets 403, not 404) and, as
# ``change``, the rule about the person or role acted on.


def _person_url(person: User) -> str:
    return reverse("accounts:user_detail", args=[person.username])


def _on_person(*, change: str) -> Callable[[View], View]:
    """A one-shot action on a person: refused (403) to those who manage no users before the
    person is looked up in the admin's scope (404), then ``change`` decides about the person."""
    return guarded(
        "accounts.manage_users",
        change=change,
        load=visible_user,
        back=_person_url,
        check_first=True,
    )


def _assignment_back(assignment: RoleAssignment) -> str:
    return _person_url(assignment.user)


@guarded("accounts.manage_users")
def user_list(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
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


@guarded("accounts.manage_users")
def user_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
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


@guarded("accounts.manage_users", load=visible_user, check_first=True)
def user_detail(request: ActorRequest, person: User) -> HttpResponse:
    actor = request.actor
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


def _detail_page(request: ActorRequest, person: User, form: Any, **extra: Any) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "access/user_detail.html",
        {
            "person": person,
            "form": form,
            "locked": lockout.is_locked_anywhere(person.username),
            "can_manage_account": can(actor, "accounts.manage_account", person),
            "can_set_active": can(actor, "accounts.set_active", person),
            **extra,
        },
    )


@_on_person(change="accounts.manage_account")
@require_POST
def user_unlock(request: ActorRequest, person: User) -> HttpResponse:
    services.user_unlock(request.actor, user=person)
    messages.success(request, _("账号已解锁，可以重新登录。"))
    return redirect("accounts:user_detail", username=person.username)


@_on_person(change="accounts.manage_account")
@require_POST
def user_password_reset(request: ActorRequest, person: User) -> HttpResponse:
    """Answers with the detail page itself, showing the temporary password once (never put
    in a redirect, a message or the log)."""
    actor = request.actor
    _user, password = services.password_reset(actor, user=person)
    return _detail_page(request, person, RoleGrantForm(actor), temporary_password=password)


@guarded(
    "accounts.manage_users",
    change="accounts.revoke_role",
    load=visible_assignment,
    back=_assignment_back,
    check_first=True,
)
@require_POST
def role_revoke(request: ActorRequest, assignment: RoleAssignment) -> HttpResponse:
    person = assignment.user
    if not is_confirmed(request):
        return ask(
            request,
            _("撤销 %(user)s 的角色：%(role)s？") % {"user": person.username, "role": assignment},
            back=_person_url(person),
        )
    services.role_revoke(request.actor, assignment=assignment)
    messages.success(request, _("角色已撤销。"))
    return redirect("accounts:user_detail", username=person.username)


@_on_person(change="accounts.set_active")
@require_POST
def user_toggle_active(request: ActorRequest, person: User) -> HttpResponse:
    if person.is_active and not is_confirmed(request):
        return ask(
            request,
            _("停用账号 %(user)s？停用后该账号不能登录，直到重新启用。")
            % {"user": person.username},
            back=_person_url(person),
        )
    account_services.user_set_active(request.actor, user=person, active=not person.is_active)
    return redirect("accounts:user_detail", username=person.username)
