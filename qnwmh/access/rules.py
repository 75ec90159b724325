"""Who may grant and revoke roles, manage another person's account, and manage API tokens
(holders of a role that uses the API their own, see ``tokens.API_ROLES``; city admins
anyone's)."""

from __future__ import annotations

from typing import Any

from qnwmh.access.models import ApiToken, RoleAssignment
from qnwmh.access.tokens import API_ROLES
from qnwmh.accounts.models import User
from qnwmh.core.actor import Actor, Role
from qnwmh.core.permissions import rule


@rule("api.manage_token", target=ApiToken | None)
def _manage_token(actor: Actor, token: Any) -> bool:
    if "system" in actor.roles:  # management command
        return True
    if not actor.is_authenticated:
        return False
    if token is None:  # the token page, issuing for oneself
        return bool(actor.roles & API_ROLES)
    return actor.is_city_admin or (actor.user is not None and token.user_id == actor.user.pk)


@rule("accounts.grant_role", target=RoleAssignment)
@rule("accounts.revoke_role", target=RoleAssignment)
def _assign_role(actor: Actor, assignment: Any) -> bool:
    """City admins grant and revoke anything; body admins body-admin roles on their bodies and
    collective-manager roles on their bodies' collectives."""
    if actor.is_city_admin:
        return True
    if assignment.role == Role.BODY_ADMIN:
        return assignment.organisation_id in actor.body_ids
    if assignment.role == Role.COLLECTIVE_MANAGER and assignment.collective is not None:
        return assignment.collective.body_id in actor.body_ids
    return False


@rule("accounts.manage_account", target=User)
def _manage_account(actor: Actor, user: Any) -> bool:
    """Unlock and password reset reach only people wholly inside the actor's charge: city
    admins reach everyone; body admins users whose every active role sits in their bodies
    (never a city admin or a reviewer, even one who also holds a role there)."""
    if actor.is_city_admin:
        return True
    if not actor.is_body_admin:
        return False
    assignments = list(
        RoleAssignment.objects.active().filter(user=user).select_related("collective")
    )
    return bool(assignments) and all(
        (a.role == Role.BODY_ADMIN and a.organisation_id in actor.body_ids)
        or (
            a.role == Role.COLLECTIVE_MANAGER
            and a.collective is not None
            and a.collective.body_id in actor.body_ids
        )
        for a in assignments
    )
