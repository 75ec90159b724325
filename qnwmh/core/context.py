from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from qnwmh.core.nav import GROUPS, NavItem, all_items
from qnwmh.core.permissions import can


@cache
def _items() -> tuple[NavItem, ...]:
    return tuple(all_items())


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_groups``: the stages the actor can reach, each with its entries, in menu order."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_groups": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    groups: dict[str, dict[str, Any]] = {}
    for i in _items():
        if not can(actor, i.permission):
            continue
        group = groups.setdefault(
            i.group, {"key": i.group, "label": GROUPS[i.group], "items": [], "active": False}
        )
        active = current == i.url_name
        group["items"].append({"label": i.label, "url_name": i.url_name, "active": active})
        group["active"] = group["active"] or active
    return {"nav_groups": list(groups.values())}
