"""Who may do what: every permission is registered here by name, with the type of object it
decides about, and unknown names or wrong targets raise.

Apps declare their predicates with ``@rule("collectives.edit", target=Collective)`` in their own
``rules.py`` (imported by their AppConfig.ready), so each app's rules sit beside its models
while the check itself has one entry point: ``can(actor, name, obj)`` / ``require(...)``.
``target`` is a class, a union (``ManagingBody | None`` for "a body, or none to ask in
general"), or ``None`` for a rule about the actor alone. Passing anything else is a programming
error (``TypeError``), so a rule never silently receives an id where it expects an object.

Reading is scoped separately by one selector per model family (``*_visible_to``); a
permission check runs only on objects the actor can already see. Views declare their
permission with ``qnwmh.core.guard.guarded``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any

from django.core.exceptions import PermissionDenied

from qnwmh.core.actor import Actor

Predicate = Callable[[Actor, Any], bool]
Target = type | UnionType | None


@dataclass(frozen=True)
class Rule:
    name: str
    target: type | UnionType
    predicate: Predicate

    def check(self, actor: Actor, obj: Any) -> bool:
        if not isinstance(obj, self.target):
            raise TypeError(
                f"permission {self.name!r} decides about {self.target}, not {type(obj).__name__}"
            )
        return bool(self.predicate(actor, obj))


_RULES: dict[str, Rule] = {}


def rule(name: str, *, target: Target) -> Callable[[Predicate], Predicate]:
    def register(predicate: Predicate) -> Predicate:
        if name in _RULES:
            raise RuntimeError(f"permission {name!r} registered twice")
        _RULES[name] = Rule(name, NoneType if target is None else target, predicate)
        return predicate

    return register


def get_rule(name: str) -> Rule:
    try:
        return _RULES[name]
    except KeyError:
        raise KeyError(f"unknown permission {name!r}") from None


def can(actor: Actor, name: str, obj: Any = None) -> bool:
    return get_rule(name).check(actor, obj)


def require(actor: Actor, name: str, obj: Any = None) -> None:
    if not can(actor, name, obj):
        raise PermissionDenied(name)


def registered() -> list[str]:
    return sorted(_RULES)
