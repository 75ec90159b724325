"""Accounts and role assignments."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.accounts import lockout, usernames
from qnwmh.accounts.actor import Actor
from qnwmh.accounts.models import LoginEvent, Role, RoleAssignment, User
from qnwmh.accounts.permissions import require
from qnwmh.audit.services import log_action
from qnwmh.core.errors import DomainError

# Called inside the transaction whenever a user's password changes (their own change or an
# administrator's reset), with the acting actor and the user. Later apps add to it in their
# AppConfig.ready (the API revokes the user's tokens).
password_changed_handlers: list[Callable[[Actor, User], object]] = []


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


def _check_username_free(username: str) -> None:
    """Equal after NFKC and case folding, or confusable with an existing name: refused."""
    found = usernames.clash(username, list(User.objects.values_list("username", flat=True)))
    if found is None:
        return
    if found[1] == "same":
        message = _("用户名“%(name)s”已被使用（不区分大小写和全角半角）。")
    else:
        message = _("用户名“%(name)s”与已有用户名过于相似，容易混淆，请换一个。")
    raise DomainError(message % {"name": username}, field="username")


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
    username = usernames.normalise(username)
    _check_username_free(username)
    user = User(username=username, display_name=display_name, email=email, phone=phone)
    _check_password(password, user)
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        field = next(iter(exc.message_dict), None)
        raise DomainError(" ".join(exc.messages), field=field) from exc
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
    if user.check_password(new_password):
        raise DomainError(_("新密码不能与原密码相同。"), field="password")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    log_action(actor, user, "accounts.user.password_changed")
    for handler in password_changed_handlers:
        handler(actor, user)
    return user


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


def temporary_password() -> str:
    """Easy to read aloud or type from a note: four groups of four, no look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def password_reset(actor: Actor, *, user: User) -> tuple[User, str]:
    """Give ``user`` a temporary password (returned once, to be handed over out of band) that
    must be changed at the next sign-in; revokes their API tokens and lifts any lockout."""
    _check_manages(actor, user)
    if not user.is_active:
        raise DomainError(_("该账号已停用，请先启用。"))
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    lockout.clear(user.username)
    LoginEvent.objects.create(
        kind=LoginEvent.Kind.UNLOCK, username=user.username, user=user, ip=actor.ip
    )
    log_action(actor, user, "accounts.user.password_reset")
    for handler in password_changed_handlers:
        handler(actor, user)
    return user, password
