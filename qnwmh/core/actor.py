"""The actor: who is acting and what they hold, resolved once per request.

Services, selectors and permission checks all take one ``Actor`` instead of a user plus
flags, so "who may see what" is computed in one place (``qnwmh.core.permissions``). The
actor is built from the user's role grants by ``qnwmh.access.actor.actor_for`` (attached to
each request by ``qnwmh.access.middleware.ActorMiddleware``; views read it as
``request.actor`` of a ``qnwmh.core.guard.ActorRequest``); this module knows only the role
names, so every layer can take an actor without importing the apps that grant roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("团市委管理员")
    BODY_ADMIN = "body_admin", _("基层团委管理员")
    COLLECTIVE_MANAGER = "collective_manager", _("集体管理员")
    REVIEWER = "reviewer", _("评审专家")


@dataclass(frozen=True)
class Actor:
    # The signed-in ``accounts.User`` (typed loosely: core sits below accounts).
    user: Any | None
    ip: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    # Managing bodies this actor administers, subtree included.
    body_ids: frozenset[int] = field(default_factory=frozenset)
    # The bodies of its own body-admin grants, without their subtrees: where the actor speaks
    # for the body itself (a consultation's reply), not merely oversees the bodies below.
    own_body_ids: frozenset[int] = field(default_factory=frozenset)
    # Collectives this actor manages directly.
    collective_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def clerk(self) -> Any:
        """The signed-in user a staff record names (staff acts always have one)."""
        if self.user is None:
            raise RuntimeError("a staff act needs a signed-in user")
        return self.user

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
        if self.user:
            return self.user.username
        # The platform's own acts (commands, the worker) must not read as a visitor's.
        return "system" if "system" in self.roles else "anonymous"


ANONYMOUS = Actor(user=None)


def system_actor() -> Actor:
    """The platform itself (commands, scheduled jobs): recorded as such in the audit log."""
    return Actor(user=None, ip=None, roles=frozenset({"system"}))
