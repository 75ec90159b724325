"""Who the actor is: the roles a user holds now, read from their grants."""

from __future__ import annotations

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.core.actor import Actor, Role
from qnwmh.orgs.models import Organisation


def actor_for(user: User | None, ip: str | None = None) -> Actor:
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor(user=None, ip=ip)
    roles: set[str] = set()
    org_paths: list[str] = []
    own_body_ids: set[int] = set()
    collective_ids: set[int] = set()
    for role, org_id, org_path, collective_id in (
        RoleAssignment.objects.active()
        .filter(user=user)
        .values_list("role", "organisation_id", "organisation__path", "collective_id")
    ):
        roles.add(role)
        if role == Role.COLLECTIVE_MANAGER and collective_id:
            collective_ids.add(collective_id)
        elif role == Role.BODY_ADMIN and org_path:
            org_paths.append(org_path)
            own_body_ids.add(org_id)
    body_ids: set[int] = set()
    if org_paths:
        body_ids = set(Organisation.objects.in_subtrees(org_paths).values_list("id", flat=True))
    return Actor(
        user=user,
        ip=ip,
        roles=frozenset(roles),
        body_ids=frozenset(body_ids),
        own_body_ids=frozenset(own_body_ids),
        collective_ids=frozenset(collective_ids),
    )
