"""The one scope condition: which rows of a model an actor reaches through the managing bodies
it administers and the collectives it manages.

Every ``*_visible_to`` selector whose scope is "city admins all, body admins their bodies'
rows, collective managers their collectives' rows" builds its filter here, naming only the
fields that lead to a body and to a collective. The actor is anything with ``is_city_admin``,
``body_ids`` and ``collective_ids`` (``accounts.actor.Actor``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import Any, Protocol, TypeVar

from django.db.models import Q, QuerySet

QS = TypeVar("QS", bound=QuerySet[Any])


class Scoped(Protocol):
    @property
    def is_city_admin(self) -> bool: ...

    @property
    def body_ids(self) -> frozenset[int]: ...

    @property
    def collective_ids(self) -> frozenset[int]: ...


def _fields(names: str | Collection[str]) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else tuple(names)


def scope_q(
    actor: Scoped,
    *,
    body: str | Collection[str] = (),
    collective: str | Collection[str] = (),
    own: Q | None = None,
) -> Q | None:
    """The condition for a non-city actor: a row whose ``body`` field (any of them) is one of
    the actor's bodies, or whose ``collective`` field is one of its collectives (further
    narrowed by ``own`` when given). ``None`` when the actor reaches nothing this way."""
    condition = Q()
    if actor.body_ids:
        for name in _fields(body):
            condition |= Q(**{f"{name}__in": actor.body_ids})
    if actor.collective_ids and _fields(collective):
        mine = Q()
        for name in _fields(collective):
            mine |= Q(**{f"{name}__in": actor.collective_ids})
        condition |= mine & own if own is not None else mine
    return condition or None


def in_scope(
    qs: QS,
    actor: Scoped,
    *,
    body: str | Collection[str] = (),
    collective: str | Collection[str] = (),
    own: Q | None = None,
) -> QS:
    """``qs`` narrowed to the actor's scope: everything for a city admin, the rows reached
    through its bodies and collectives for anyone else, nothing when it reaches none."""
    if actor.is_city_admin:
        return qs
    condition = scope_q(actor, body=body, collective=collective, own=own)
    return qs.filter(condition) if condition is not None else qs.none()


def scope_key(actor: Scoped) -> str:
    """A name for the rows ``in_scope`` gives this actor, equal for actors who reach the same
    rows: what a per-scope cache is keyed on (never the user, so a body's admins share)."""
    if actor.is_city_admin:
        return "city"
    reach = f"{sorted(actor.body_ids)}/{sorted(actor.collective_ids)}"
    return hashlib.blake2b(reach.encode(), digest_size=12).hexdigest()
