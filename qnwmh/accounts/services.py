"""Accounts: creating users, passwords, activation (role grants and the administration that
depends on them: ``qnwmh.access.services``)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qnwmh.accounts import usernames
from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require

# Called inside the transaction whenever a user's password changes (their own change or an
# administrator's reset), with the acting actor and the user. Later apps add to it in their
# AppConfig.ready (the API revokes the user's tokens).
password_changed_handlers: list[Callable[[Actor, User], object]] = []


def check_password(password: str, user: User) -> None:
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
def user_add(
    actor: Actor,
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """A new account, without a role (``qnwmh.access.services.user_create`` grants its first
    role in the same transaction; the caller checks the permission)."""
    username = usernames.normalise(username)
    _check_username_free(username)
    user = User(username=username, display_name=display_name, email=email, phone=phone)
    check_password(password, user)
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
    return user


@transaction.atomic
def user_set_active(actor: Actor, *, user: User, active: bool) -> User:
    require(actor, "accounts.set_active", user)
    if user.pk == getattr(actor.user, "pk", None):
        raise DomainError(_("不能停用自己的账号。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(actor, user, "accounts.user.activated" if active else "accounts.user.deactivated")
    return user


@transaction.atomic
def password_change(actor: Actor, *, user: User, new_password: str) -> User:
    """Called by the password-change view after it checked the old password."""
    require(actor, "accounts.change_password", user)
    check_password(new_password, user)
    if user.check_password(new_password):
        raise DomainError(_("新密码不能与原密码相同。"), field="password")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    log_action(actor, user, "accounts.user.password_changed")
    for handler in password_changed_handlers:
        handler(actor, user)
    return user


def temporary_password() -> str:
    """Easy to read aloud or type from a note: four groups of four, no look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
