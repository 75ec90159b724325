from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from qnwmh.core.actor import Actor
from qnwmh.core.nav import GROUPS, NavItem, all_items
from qnwmh.core.permissions import can


@cache
def _items() -> tuple[NavItem, ...]:
    return tuple(all_items())


# One entry: (group key, group label, ((label, url_name, url), ...)).
Menu = tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...]

NO_MENU = mark_safe("")


def _stand_in(
    roles: frozenset[str], body_ids: frozenset[int], collective_ids: frozenset[int]
) -> Actor:
    """An actor with these grants and no user: every menu permission is a predicate of the
    grants alone (``tests/test_menu.py`` holds that rule), so the menu depends only on them."""
    return Actor(user=object(), roles=roles, body_ids=body_ids, collective_ids=collective_ids)


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
    actor = _stand_in(roles, body_ids, collective_ids)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for i in _items():
        if can(actor, i.permission):
            groups.setdefault(i.group, []).append((str(i.label), i.url_name, reverse(i.url_name)))
    return tuple((key, str(GROUPS[key]), tuple(items)) for key, items in groups.items())


def _group_html(key: str, label: str, entries: Any, current: str) -> SafeString:
    active = any(name == current for _text, name, _url in entries)
    links = format_html_join(
        "",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (url, mark_safe(' aria-current="page"') if name == current else "", text)
            for text, name, url in entries
        ),
    )
    return format_html(
        '<li><details class="dropdown nav-group" data-testid="nav-{}">'
        "<summary{}>{}</summary><ul>{}</ul></details></li>",
        key,
        mark_safe(' class="nav-current"') if active else "",
        label,
        links,
    )


@lru_cache(maxsize=1024)
def _menu_names(menu: Menu) -> frozenset[str]:
    return frozenset(name for _key, _label, entries in menu for _text, name, _url in entries)


@lru_cache(maxsize=4096)
def _menu_html(menu: Menu, current: str, aria_label: str) -> SafeString:
    """The menu's markup with ``current`` (a view name, or "" for none of its entries)
    marked: rendered once per menu and entry, since a template loop over thirty entries was
    most of the cost of the back-office layout."""
    if not menu:
        return NO_MENU
    groups = format_html_join(
        "", "{}", ((_group_html(key, label, entries, current),) for key, label, entries in menu)
    )
    return format_html(
        '<nav class="container main-nav" aria-label="{}"><ul>{}</ul></nav>', aria_label, groups
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_html``: the menu of the stages the actor can reach, each with its entries, in
    menu order, the current page's entry marked (empty for anyone signed out)."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_html": NO_MENU}
    menu = _menu(
        actor.roles, actor.body_ids, actor.collective_ids, get_language(), get_script_prefix()
    )
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    if current not in _menu_names(menu):
        current = ""  # one kept rendering for every page outside the menu
    return {"nav_html": _menu_html(menu, current, gettext("主菜单"))}


@receiver(setting_changed)
def _forget_menus(*, setting: str, **kwargs: Any) -> None:
    # Tests may swap the URLs or the languages the kept menus were built with.
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _menu.cache_clear()
        _menu_names.cache_clear()
        _menu_html.cache_clear()
        _chrome.cache_clear()
    if setting in ("STATIC_URL", "STORAGES"):
        _chrome.cache_clear()


# The back-office layout's fixed text, links and assets -------------------------------------

ASSETS = (
    ("css", "vendor/pico-2.1.1.red.min.css"),
    ("css", "core/app.css"),
    ("js", "vendor/htmx-2.0.8.min.js"),
    ("js", "core/app.js"),
)


@lru_cache(maxsize=16)
def _chrome(language: str | None, prefix: str) -> dict[str, str]:
    """What the layout shows the same to everyone reading in ``language``: kept per process,
    since a template tag per link, label and asset cost more than the rest of a small page.
    ``prefix`` is only part of the key: ``reverse`` and ``static`` read it themselves."""
    assets = format_html_join(
        "\n  ",
        "{}",
        (
            (
                format_html('<link rel="stylesheet" href="{}">', static(path))
                if kind == "css"
                else format_html('<script src="{}" defer></script>', static(path)),
            )
            for kind, path in ASSETS
        ),
    )
    site = gettext("青年文明号创建管理平台")
    return {
        "assets": assets,
        "site": site,
        "brand": gettext("青年文明号"),
        "home": reverse("core:home"),
        "footer": f"{gettext('共青团中山市委员会')} · {site}",
    }


def chrome(request: HttpRequest) -> dict[str, Any]:
    """``chrome``: the back-office layout's fixed text, links and assets (see ``_chrome``)."""
    return {"chrome": _chrome(get_language(), get_script_prefix())}
