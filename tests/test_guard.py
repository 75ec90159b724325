"""The view declaration (qnwmh.core.guard) and typed rules (qnwmh.core.permissions), apart
from any app: the order of its checks, what it hands the view, and what a broken rule becomes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from qnwmh.core.actor import ANONYMOUS, Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.guard import guard_of, guarded
from qnwmh.core.permissions import can, require, rule


class Box:
    """A stand-in object of a type no real rule decides about."""

    def __init__(self, key: str, owner: str = "") -> None:
        self.key, self.owner = key, owner


class Lid:
    def __init__(self, box: Box) -> None:
        self.box = box


@rule("test_guard.open", target=Box)
def _open(actor: Actor, box: Box) -> bool:
    return actor.user is not None and box.owner == actor.user.username


@rule("test_guard.read", target=None)
def _read(actor: Actor, obj: None) -> bool:
    return actor.is_authenticated


@rule("test_guard.write", target=Box | None)
def _write(actor: Actor, box: Box | None) -> bool:
    return Role.CITY_ADMIN in actor.roles


BOXES = {"a": Box("a", owner="ann"), "b": Box("b", owner="bob")}


def load_box(actor: Actor, key: str) -> Box:
    """A scoped selector: only the boxes of people whose name is known exist for the actor."""
    if key not in BOXES or actor.user is None:
        raise Http404
    return BOXES[key]


class User:
    is_authenticated = True

    def __init__(self, username: str) -> None:
        self.username = username


def call(view: Any, method: str = "get", actor: Actor = ANONYMOUS, **kwargs: Any) -> Any:
    request = getattr(RequestFactory(), method)("/somewhere/", HTTP_REFERER="http://other/x")
    request.user = actor.user or AnonymousUser()
    request.actor = actor
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return view(request, **kwargs), request


ANN = Actor(user=User("ann"))
BOB = Actor(user=User("bob"))
CITY = Actor(user=User("chen"), roles=frozenset({Role.CITY_ADMIN}))


@guarded("test_guard.open", load=load_box, back=lambda box: f"/boxes/{box.key}/")
def open_view(request: Any, box: Box, extra: str = "") -> HttpResponse:
    if extra == "broken":
        raise DomainError("箱子已封存。")
    return HttpResponse(f"{box.key}{extra}")


def test_rules_refuse_a_target_of_the_wrong_type() -> None:
    with pytest.raises(TypeError):
        can(ANN, "test_guard.open", "a")  # the key, not the box
    with pytest.raises(TypeError):
        can(ANN, "test_guard.read", BOXES["a"])  # a rule about the actor alone
    assert can(CITY, "test_guard.write", None) and can(CITY, "test_guard.write", BOXES["a"])
    with pytest.raises(KeyError):
        can(ANN, "test_guard.no_such_rule")


def test_require_refuses_with_permission_denied() -> None:
    require(ANN, "test_guard.open", BOXES["a"])
    with pytest.raises(PermissionDenied):
        require(BOB, "test_guard.open", BOXES["a"])


def test_an_unknown_permission_fails_when_declared() -> None:
    with pytest.raises(KeyError):
        guarded("test_guard.nothing")
    with pytest.raises(TypeError):
        guarded("test_guard.open", of=lambda x: x)  # `of` without a loader


def test_anonymous_visitors_are_sent_to_log_in_before_anything_is_loaded() -> None:
    response, _ = call(open_view, key="zzz")  # would be a 404 if loaded
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_out_of_scope_is_404_before_the_permission_is_checked() -> None:
    with pytest.raises(Http404):
        call(open_view, actor=BOB, key="zzz")


def test_a_visible_object_the_actor_may_not_open_is_403() -> None:
    with pytest.raises(PermissionDenied):
        call(open_view, actor=BOB, key="a")


def test_the_view_gets_the_loaded_object_and_the_other_url_arguments() -> None:
    response, _ = call(open_view, actor=ANN, key="a", extra="!")
    assert response.content == b"a!"


def test_a_broken_rule_becomes_a_message_and_a_redirect_back() -> None:
    response, request = call(open_view, "post", actor=ANN, key="a", extra="broken")
    assert response.status_code == 302 and response["Location"] == "/boxes/a/"
    assert [str(m) for m in get_messages(request)] == ["箱子已封存。"]


def test_without_back_a_foreign_referer_is_not_followed() -> None:
    @guarded("test_guard.read")
    def view(request: Any) -> HttpResponse:
        raise DomainError("不行。")

    response, _ = call(view, "post", actor=ANN)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_change_is_required_for_posts_only() -> None:
    @guarded("test_guard.read", change="test_guard.write")
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    assert call(view, actor=ANN)[0].status_code == 200
    with pytest.raises(PermissionDenied):
        call(view, "post", actor=ANN)
    assert call(view, "post", actor=CITY)[0].status_code == 200
    guard = guard_of(view)
    assert guard is not None
    assert guard.permission_for("GET") == "test_guard.read"
    assert guard.permission_for("POST") == "test_guard.write"


def test_of_checks_the_rule_on_what_the_object_belongs_to() -> None:
    lids = {"a": Lid(BOXES["a"])}

    @guarded("test_guard.open", load=lambda actor, key: lids[key], of="box")
    def view(request: Any, lid: Lid) -> HttpResponse:
        return HttpResponse(lid.box.key)

    assert call(view, actor=ANN, key="a")[0].content == b"a"
    with pytest.raises(PermissionDenied):
        call(view, actor=BOB, key="a")


def test_public_pages_admit_anonymous_visitors() -> None:
    @guarded(public=True)
    def view(request: Any) -> HttpResponse:
        return HttpResponse("hello")

    assert call(view)[0].status_code == 200


def test_a_rule_about_the_actor_alone_is_checked_after_loading_unless_first() -> None:
    """By default scope is said first (404 before 403); ``check_first`` refuses first."""

    def page(check_first: bool) -> Any:
        view = guarded("test_guard.read", load=load_box, public=True, check_first=check_first)
        return view(lambda request, box: HttpResponse(box.key))

    assert call(page(False), actor=ANN, key="a")[0].content == b"a"
    assert call(page(True), actor=ANN, key="a")[0].content == b"a"
    with pytest.raises(Http404):
        call(page(False), key="zzz")  # anonymous: refused by the rule, but 404 comes first
    with pytest.raises(PermissionDenied):
        call(page(True), key="zzz")
