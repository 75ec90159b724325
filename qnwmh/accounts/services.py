"""Accounts and role assignments."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.models import Role, RoleAssignment, User
from qnwmh.accounts.permissions import require
from qnwmh.audit.services import log_action
from qnwmh.core.errors import DomainError


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


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


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
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("用户名“%(name)s”已被使用。") % {"name": username}, field="username")
    user = User(username=username, display_name=display_name, email=email, phone=phone)
    _check_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    log_action(
        actor,
        user,
        "accounts.user.created",
        after={"username": username, "display_name": display_name},
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


@transaction.atomic
def user_set_active(actor: Actor, *, user: User, active: bool) -> User:
    require(actor, "accounts.manage_users")
    if not actor.is_city_admin:
        raise DomainError(_("只有团市委管理员可以停用或启用账号。"))
    if user.pk == getattr(actor.user, "pk", None):
        raise DomainError(_("不能停用自己的账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(actor, user, "accounts.user.activated" if active else "accounts.user.deactivated")
    return user


@transaction.atomic
def password_change(actor: Actor, *, user: User, new_password: str) -> User:
    """Called by the password-change view after it checked the old password."""
    if actor.user is None or actor.user.pk != user.pk:
        raise DomainError(_("只能修改自己的密码。"))
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    log_action(actor, user, "accounts.user.password_changed")
    return user
