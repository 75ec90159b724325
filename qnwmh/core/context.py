from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from qnwmh.core.actor import Actor
from qnwmh.core.nav import GROUPS, NavItem, all_items
from qnwmh.core.permissions import can


@cache
def _items() -> tuple[NavItem, ...]:
    return tuple(all_items())


# One entry: (group key, group label, ((label, url_name, url), ...)).
Menu = tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...]


@lru_cache(maxsize=1024)
def _menu(
    roles: frozenset[str],
    body_ids: frozenset[int],
    collective_ids: frozenset[int],
    language: str | None,
    prefix: str,
) -> Menu:
    """The menu of an actor holding these grants, labels in ``language``, URLs resolved.

    Kept per process: the key is the actor's grants as read from the database on the request
    (a grant given or taken changes the key), the language and the script prefix; what else
    goes in (the menu entries and their rules, predicates of the actor alone) cannot change
    without a deploy. ``prefix`` is only part of the key: ``reverse`` reads it itself."""
    actor = Actor(user=object(), roles=roles, body_ids=body_ids, collective_ids=collective_ids)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for i in _items():
        if can(actor, i.permission):
            groups.setdefault(i.group, []).append((str(i.label), i.url_name, reverse(i.url_name)))
    return tuple((key, str(GROUPS[key]), tuple(items)) for key, items in groups.items())


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_groups``: the stages the actor can reach, each with its entries, in menu order."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_groups": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    menu = _menu(
        actor.roles, actor.body_ids, actor.collective_ids, get_language(), get_script_prefix()
    )
    nav_groups = []
    for key, label, entries in menu:
        items = [
            {"label": text, "url_name": name, "url": url, "active": current == name}
            for text, name, url in entries
        ]
        active = any(item["active"] for item in items)
        nav_groups.append({"key": key, "label": label, "items": items, "active": active})
    return {"nav_groups": nav_groups}


@receiver(setting_changed)
def _forget_menus(*, setting: str, **kwargs: Any) -> None:
    # Tests may swap the URLs or the languages the kept menus were built with.
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _menu.cache_clear()
