"""Role grants and the user administration that depends on them: creating a user with
their first role, granting and revoking roles, and unlocking or resetting the password of
users wholly in the actor's charge."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts import lockout
from qnwmh.accounts import services as account_services
from qnwmh.accounts.models import LoginEvent, User
from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require


def _check_grant(actor: Actor, role: str, organisation: object, collective: object) -> None:
    """City admins grant anything; body admins grant body-admin on their bodies and
    collective-manager on their bodies' collectives."""
    if actor.is_city_admin:
        return
    if role == Role.BODY_ADMIN and getattr(organisation, "pk", None) in actor.body_ids:
        return
    if role == Role.COLLECTIVE_MANAGER and getattr(collective, "body_id", None) in actor.body_ids:
        return
    raise DomainError(_("您无权授予该角色。"))


@transaction.atomic
def user_create(
    actor: Actor,
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    role: str,
    organisation: object = None,
    collective: object = None,
) -> User:
    require(actor, "accounts.manage_users")
    _check_grant(actor, role, organisation, collective)
    user = account_services.user_add(
        actor,
        username=username,
        password=password,
        display_name=display_name,
        email=email,
        phone=phone,
    )
    role_grant(actor, user=user, role=role, organisation=organisation, collective=collective)
    return user


@transaction.atomic
def role_grant(
    actor: Actor, *, user: User, role: str, organisation: object = None, collective: object = None
) -> RoleAssignment:
    require(actor, "accounts.manage_users")
    _check_grant(actor, role, organisation, collective)
    assignment = RoleAssignment(
        user=user,
        role=role,
        organisation=organisation,  # type: ignore[misc]
        collective=collective,
        granted_by=actor.user,
    )
    try:
        assignment.full_clean()
    except ValidationError as exc:
        raise DomainError(_("角色与授予对象不匹配。")) from exc
    if (
        RoleAssignment.objects.active()
        .filter(
            user=user,
            role=role,
            organisation=assignment.organisation,
            collective=assignment.collective,
        )
        .exists()
    ):
        raise DomainError(_("该用户已持有此角色。"))
    assignment.save()
    log_action(
        actor,
        assignment,
        "accounts.role.granted",
        after={
            "user": user.username,
            "role": role,
            "target": str(organisation or collective or ""),
        },
    )
    return assignment


@transaction.atomic
def role_revoke(actor: Actor, *, assignment: RoleAssignment) -> RoleAssignment:
    require(actor, "accounts.manage_users")
    _check_grant(actor, assignment.role, assignment.organisation, assignment.collective)
    if assignment.revoked_at is not None:
        raise DomainError(_("该角色已被撤销。"))
    if assignment.user_id == getattr(actor.user, "pk", None) and assignment.role == Role.CITY_ADMIN:
        raise DomainError(_("不能撤销自己的团市委管理员角色。"))
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    log_action(
        actor,
        assignment,
        "accounts.role.revoked",
        data={"user": assignment.user.username, "role": assignment.role},
    )
    return assignment


def _check_manages(actor: Actor, user: User) -> None:
    """Unlock and reset reach only people wholly inside the actor's charge: city admins reach
    everyone but themselves; body admins reach users whose every active role sits in their
    bodies (never a city admin or a reviewer, even one who also holds a role there)."""
    require(actor, "accounts.manage_users")
    if user.pk == getattr(actor.user, "pk", None):
        raise DomainError(_("不能对自己的账号执行此操作，请使用“修改密码”。"))
    if actor.is_city_admin:
        return
    assignments = list(
        RoleAssignment.objects.active().filter(user=user).select_related("collective")
    )
    inside = bool(assignments) and all(
        (a.role == Role.BODY_ADMIN and a.organisation_id in actor.body_ids)
        or (
            a.role == Role.COLLECTIVE_MANAGER
            and a.collective is not None
            and a.collective.body_id in actor.body_ids
        )
        for a in assignments
    )
    if not inside:
        raise DomainError(_("该账号不完全由您管理，请联系团市委管理员。"))


@transaction.atomic
def user_unlock(actor: Actor, *, user: User) -> User:
    """Lift both lockout tiers for ``user`` (see qnwmh.accounts.lockout)."""
    _check_manages(actor, user)
    was_locked = lockout.is_locked_anywhere(user.username)
    cleared = lockout.clear(user.username)
    LoginEvent.objects.create(
        kind=LoginEvent.Kind.UNLOCK, username=user.username, user=user, ip=actor.ip
    )
    log_action(
        actor,
        user,
        "accounts.user.unlocked",
        data={"was_locked": was_locked, "cleared_attempts": cleared},
    )
    return user


@transaction.atomic
def password_reset(actor: Actor, *, user: User) -> tuple[User, str]:
    """Give ``user`` a temporary password (returned once, to be handed over out of band) that
    must be changed at the next sign-in; revokes their API tokens and lifts any lockout."""
    _check_manages(actor, user)
    if not user.is_active:
        raise DomainError(_("该账号已停用，请先启用。"))
    password = account_services.temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    lockout.clear(user.username)
    LoginEvent.objects.create(
        kind=LoginEvent.Kind.UNLOCK, username=user.username, user=user, ip=actor.ip
    )
    log_action(actor, user, "accounts.user.password_reset")
    for handler in account_services.password_changed_handlers:
        handler(actor, user)
    return user, password
