"""Account-level permissions."""

from __future__ import annotations

from typing import Any

from qnwmh.accounts.models import User
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("accounts.view_login_log", target=None)
def _view_login_log(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("accounts.manage_users", target=None)
def _manage_users(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin


@rule("accounts.set_active", target=User)
def _set_active(actor: Actor, user: Any) -> bool:
    """Deactivating or reactivating an account: city admins only (a body admin's user may
    also hold roles elsewhere)."""
    return actor.is_city_admin


@rule("accounts.change_password", target=User)
def _change_password(actor: Actor, user: Any) -> bool:
    """One's own password only; administrators reset others' (``access.services``)."""
    return actor.user is not None and actor.user.pk == user.pk
