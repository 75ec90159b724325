"""Who may do what: every permission is registered here by name, and unknown names raise.

Apps declare their predicates with ``@rule("collective.edit")`` in their own ``rules.py``
(imported by their AppConfig.ready), so each app's rules sit beside its models while the
check itself has one entry point: ``can(actor, name, obj)`` / ``require(...)``.
Reading is scoped separately by one selector per model family (``*_visible_to``); a
permission check runs only on objects the actor can already see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

from qnwmh.core.actor import Actor

Predicate = Callable[[Actor, Any], bool]
_RULES: dict[str, Predicate] = {}


def rule(name: str) -> Callable[[Predicate], Predicate]:
    def register(predicate: Predicate) -> Predicate:
        if name in _RULES:
            raise RuntimeError(f"permission {name!r} registered twice")
        _RULES[name] = predicate
        return predicate

    return register


def can(actor: Actor, name: str, obj: Any = None) -> bool:
    try:
        predicate = _RULES[name]
    except KeyError:
        raise KeyError(f"unknown permission {name!r}") from None
    return bool(predicate(actor, obj))


def require(actor: Actor, name: str, obj: Any = None) -> None:
    if not can(actor, name, obj):
        raise PermissionDenied(name)


def registered() -> list[str]:
    return sorted(_RULES)
