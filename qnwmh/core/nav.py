"""The back-office menu. Each app may offer entries in its own ``nav.py`` as ``NAV_ITEMS``;
an entry shows when the actor holds its permission."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100


def all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("qnwmh.") or config.name == "qnwmh.core":
            continue
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError:
            continue
        items.extend(module.NAV_ITEMS)
    return sorted(items, key=lambda i: i.order)
