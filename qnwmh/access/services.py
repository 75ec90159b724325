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


def _valid_grant(role: str, organisation: object, collective: object) -> RoleAssignment:
    """The role on its target, checked for shape (a role needs the right kind of target)
    before anyone asks whether the actor may grant it."""
    assignment = RoleAssignment(
        role=role,
        organisation=organisation,  # type: ignore[misc]
        collective=collective,
    )
    try:
        assignment.full_clean(exclude=["user"])
    except ValidationError as exc:
        raise DomainError(_("角色与授予对象不匹配。")) from exc
    return assignment


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
    require(actor, "accounts.grant_role", _valid_grant(role, organisation, collective))
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
    assignment = _valid_grant(role, organisation, collective)
    require(actor, "accounts.grant_role", assignment)
    assignment.user = user
    assignment.granted_by = actor.user
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
    require(actor, "accounts.revoke_role", assignment)
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
    """Unlock and reset: another person's account wholly in the actor's charge."""
    require(actor, "accounts.manage_users")
    if user.pk == getattr(actor.user, "pk", None):
        raise DomainError(_("不能对自己的账号执行此操作，请使用“修改密码”。"))
    require(actor, "accounts.manage_account", user)


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
