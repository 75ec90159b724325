"""Views declare who may open them and how they find their object; this runs the declaration.

    @guarded("collectives.edit", load=collective_detail)
    def collective_edit_view(request: ActorRequest, collective: Collective) -> HttpResponse:

For every request, in this order:

1. an anonymous visitor is sent to the login page (unless the view is ``public``);
2. ``load(actor, **url_kwargs)`` finds the object through the actor's scoped selector, so an
   object outside the actor's scope answers 404 before anything else is said about it;
3. the permission is checked — on that object (or on ``of(object)``, when the rule decides
   about something the object belongs to, e.g. ``of="collective"``), or on nothing when the rule is about the actor
   alone (declared ``target=None``) — and a refusal answers 403. With ``check_first=True`` a
   rule about the actor alone is checked before step 2: pages that whole roles may never
   use refuse them (403) without looking anything up;
5. the view runs with the object in place of the URL arguments the loader took;
6. a broken business rule (``DomainError``) that escapes the view becomes an error message and
   a redirect to ``back(object)`` (or the page the clerk came from). Views with a form keep the
   error on the form themselves (``qnwmh.core.forms.add_domain_error``).

The declaration stays on the view (``view.guard``), so the authorization matrix checks that
each page's declared permission is the one its row expects.
"""

from __future__ import annotations

import functools
import inspect
import operator
from collections.abc import Callable
from dataclasses import dataclass
from types import NoneType
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import get_rule, require

View = Callable[..., HttpResponseBase]


class ActorRequest(HttpRequest):
    """The request a view receives: ``ActorMiddleware`` and django-htmx have added these."""

    actor: Actor
    htmx: HtmxDetails


@dataclass(frozen=True)
class Guard:
    permission: str | None
    # A stricter permission for POST, when the page is read by more people than may change it.
    change: str | None
    public: bool
    load: Callable[..., Any] | None
    of: Callable[[Any], Any] | None
    back: Callable[[Any], str] | None
    check_first: bool
    # The URL arguments the loader takes; the view receives the rest.
    load_args: tuple[str, ...]

    def target(self, request: ActorRequest, kwargs: dict[str, Any]) -> Any:
        if self.load is None:
            return None
        return self.load(request.actor, **{k: kwargs.pop(k) for k in self.load_args})

    def permission_for(self, method: str | None) -> str | None:
        if self.change is not None and method not in ("GET", "HEAD", "OPTIONS"):
            return self.change
        return self.permission

    def required(self, request: ActorRequest, *, before_loading: bool) -> list[str]:
        """The permissions to check at this step: before loading, only ``check_first`` rules
        about the actor alone; after loading, all the others."""
        names = dict.fromkeys((self.permission, self.permission_for(request.method)))
        return [
            name
            for name in names
            if name is not None and (self.check_first and _about_actor(name)) == before_loading
        ]

    def check(self, request: ActorRequest, target: Any, *, before_loading: bool = False) -> None:
        for name in self.required(request, before_loading=before_loading):
            if _about_actor(name):
                require(request.actor, name)
            else:
                require(request.actor, name, self.of(target) if self.of else target)

    def back_url(self, request: ActorRequest, target: Any) -> str:
        if self.back is not None:
            return self.back(target)
        referer = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return request.path if request.method in ("GET", "HEAD") else resolve_url("core:home")


def guarded(
    permission: str | None = None,
    *,
    change: str | None = None,
    load: Callable[..., Any] | None = None,
    of: str | Callable[[Any], Any] | None = None,
    back: Callable[[Any], str] | None = None,
    public: bool = False,
    check_first: bool = False,
) -> Callable[[View], View]:
    """Declare a view's permission (``None``: any signed-in user, or anyone when ``public``),
    its loader (a scoped selector taking the actor and URL arguments) and, for one-shot
    actions, where a refused action sends the clerk back to. ``of`` names the attribute of the
    loaded object the rule decides about (``of="collective"``), or is a function of it.
    ``change`` is the permission a POST needs besides ``permission`` (a page some may read and
    fewer may change)."""
    for name in (permission, change):
        if name is not None:
            get_rule(name)  # an unknown name fails at import, not on the first request
    if of is not None and load is None:
        raise TypeError("`of` maps the loaded object: declare `load` too")
    load_args = tuple(inspect.signature(load).parameters)[1:] if load else ()
    subject = operator.attrgetter(of) if isinstance(of, str) else of
    guard = Guard(permission, change, public, load, subject, back, check_first, load_args)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: ActorRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not public and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            guard.check(request, None, before_loading=True)
            target = guard.target(request, kwargs)
            guard.check(request, target)
            leading = (target,) if load else ()
            try:
                return view(request, *leading, *args, **kwargs)
            except DomainError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(guard.back_url(request, target))

        wrapper.guard = guard  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _about_actor(permission: str) -> bool:
    """Whether the rule decides about the actor alone (``target=None``)."""
    return get_rule(permission).target is NoneType


def guard_of(view: Any) -> Guard | None:
    """The declaration on a resolved view function, if it has one."""
    return getattr(view, "guard", None)
