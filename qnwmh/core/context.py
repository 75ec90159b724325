from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from qnwmh.accounts.permissions import can
from qnwmh.core.nav import NavItem, all_items


@cache
def _items() -> tuple[NavItem, ...]:
    return tuple(all_items())


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    return {
        "nav_items": [
            {"label": i.label, "url_name": i.url_name, "active": current == i.url_name}
            for i in _items()
            if can(actor, i.permission)
        ],
    }
