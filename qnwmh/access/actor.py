"""Who the actor is: the roles a user holds now, read from their grants."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import QuerySet
from django.http import HttpRequest

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts import kept
from qnwmh.accounts.middleware import client_ip
from qnwmh.accounts.models import User
from qnwmh.core.actor import Actor, Role
from qnwmh.core.prepared import prepared
from qnwmh.orgs.models import Organisation

# Where a signed-in session keeps its user's grants (``accounts.kept``).
GRANTS_KEY = "_grants"


class Grants(TypedDict):
    """What an actor holds, as the session keeps it (JSON: lists, sorted)."""

    roles: list[str]
    body_ids: list[int]
    own_body_ids: list[int]
    collective_ids: list[int]


@prepared
def _active_grants(user_id: int) -> QuerySet[Any]:
    """Read for every API request (a session keeps its grants): compiled once per process."""
    return (
        RoleAssignment.objects.active()
        .filter(user_id=user_id)
        .values_list("role", "organisation_id", "organisation__path", "collective_id")
    )


def grants_of(user: User) -> Grants:
    """The user's active grants, with the subtrees of the bodies they administer."""
    roles: set[str] = set()
    org_paths: list[str] = []
    own_body_ids: set[int] = set()
    collective_ids: set[int] = set()
    for role, org_id, org_path, collective_id in _active_grants.rows(user.pk):
        roles.add(role)
        if role == Role.COLLECTIVE_MANAGER and collective_id:
            collective_ids.add(collective_id)
        elif role == Role.BODY_ADMIN and org_path:
            org_paths.append(org_path)
            own_body_ids.add(org_id)
    body_ids: set[int] = set()
    if org_paths:
        body_ids = set(Organisation.objects.in_subtrees(org_paths).values_list("id", flat=True))
    return Grants(
        roles=sorted(roles),
        body_ids=sorted(body_ids),
        own_body_ids=sorted(own_body_ids),
        collective_ids=sorted(collective_ids),
    )


def _actor(user: User, ip: str | None, grants: Grants) -> Actor:
    return Actor(
        user=user,
        ip=ip,
        roles=frozenset(grants["roles"]),
        body_ids=frozenset(grants["body_ids"]),
        own_body_ids=frozenset(grants["own_body_ids"]),
        collective_ids=frozenset(grants["collective_ids"]),
    )


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def actor_for(user: User | None, ip: str | None = None) -> Actor:
    if user is None or not _signed_in(user):
        return Actor(user=None, ip=ip)
    return _actor(user, ip, grants_of(user))


def request_actor(request: HttpRequest) -> Actor:
    """The actor of a request: a signed-in session keeps the grants between requests, read
    again whenever they change (``accounts.kept``; ``access.signals`` says when)."""
    user: Any = getattr(request, "user", None)
    ip = client_ip(request)
    if not _signed_in(user) or getattr(request, "session", None) is None:
        return actor_for(user, ip)
    return _actor(user, ip, kept.kept(request, GRANTS_KEY, lambda: grants_of(user)))
