"""The actor: who is acting and what they hold, resolved once per request.

Services, selectors and permission checks all take one ``Actor`` instead of a user plus
flags, so "who may see what" is computed in one place (see ``permissions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qnwmh.accounts.models import Role, RoleAssignment, User


@dataclass(frozen=True)
class Actor:
    user: User | None
    ip: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    # Managing bodies this actor administers, subtree included.
    body_ids: frozenset[int] = field(default_factory=frozenset)
    # Collectives this actor manages directly.
    collective_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_city_admin(self) -> bool:
        return Role.CITY_ADMIN in self.roles

    @property
    def is_body_admin(self) -> bool:
        return Role.BODY_ADMIN in self.roles

    @property
    def is_collective_manager(self) -> bool:
        return Role.COLLECTIVE_MANAGER in self.roles

    @property
    def is_reviewer(self) -> bool:
        return Role.REVIEWER in self.roles

    @property
    def is_staff_of_body(self) -> bool:
        return self.is_city_admin or self.is_body_admin

    @property
    def label(self) -> str:
        return self.user.username if self.user else "anonymous"


ANONYMOUS = Actor(user=None)


def actor_of(request: object) -> Actor:
    """The actor ActorMiddleware attached to this request."""
    return request.actor  # type: ignore[attr-defined]


def system_actor() -> Actor:
    """The platform itself (commands, scheduled jobs): recorded as such in the audit log."""
    return Actor(user=None, ip=None, roles=frozenset({"system"}))


def actor_for(user: User | None, ip: str | None = None) -> Actor:
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor(user=None, ip=ip)
    from qnwmh.orgs.models import Organisation

    roles: set[str] = set()
    org_paths: list[str] = []
    collective_ids: set[int] = set()
    for role, org_path, collective_id in (
        RoleAssignment.objects.active()
        .filter(user=user)
        .values_list("role", "organisation__path", "collective_id")
    ):
        roles.add(role)
        if role == Role.COLLECTIVE_MANAGER and collective_id:
            collective_ids.add(collective_id)
        elif role == Role.BODY_ADMIN and org_path:
            org_paths.append(org_path)
    body_ids: set[int] = set()
    if org_paths:
        body_ids = set(Organisation.objects.in_subtrees(org_paths).values_list("id", flat=True))
    return Actor(
        user=user,
        ip=ip,
        roles=frozenset(roles),
        body_ids=frozenset(body_ids),
        collective_ids=frozenset(collective_ids),
    )
