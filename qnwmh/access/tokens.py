"""Issuing and revoking API tokens. The secret is returned once and never stored."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.access.actor import actor_for
from qnwmh.access.models import ApiToken, hash_secret
from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.prepared import prepared

# Roles whose work uses the API (reviewers: their assignments and score sheets); a role joins
# this set when it has something to do through the API.
API_ROLES = frozenset({Role.CITY_ADMIN, Role.BODY_ADMIN, Role.COLLECTIVE_MANAGER, Role.REVIEWER})

# Writing "last used" on every request would turn each read into a write; once a minute is
# precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def token_issue(actor: Actor, *, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the secret (shown to the caller once)."""
    require(actor, "api.manage_token", ApiToken(user=user))
    if not user.is_active:
        raise DomainError(_("该账号已停用，不能签发令牌。"))
    if not actor_for(user).roles & API_ROLES:
        raise DomainError(_("该账号的角色不使用接口，不能签发令牌。"))
    if user.must_change_password:
        raise DomainError(_("请先登录网页，把临时密码改为自己的密码，再申请令牌。"))
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[:8],
        key_hash=hash_secret(secret),
        created_by=actor.user,
    )
    log_action(
        actor,
        token,
        "api.token.issued",
        after={"user": user.username, "name": token.name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def token_revoke(actor: Actor, *, token: ApiToken) -> ApiToken:
    require(actor, "api.manage_token", token)
    token = lock(ApiToken, token.pk)
    if token.revoked_at is not None:
        raise DomainError(_("该令牌已撤销。"))
    token.revoked_at = timezone.now()
    token.revoked_by = actor.user
    token.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        actor,
        token,
        "api.token.revoked",
        data={"user": token.user.username, "prefix": token.prefix},
    )
    return token


def tokens_revoke_all(actor: Actor, user: User) -> int:
    """Revoke every live token of ``user`` (their password changed or was reset); one audit
    entry per token. Runs inside the caller's transaction."""
    now = timezone.now()
    count = 0
    for token in ApiToken.objects.active().filter(user=user).select_for_update():
        token.revoked_at = now
        token.revoked_by = actor.user
        token.save(update_fields=["revoked_at", "revoked_by"])
        log_action(
            actor,
            token,
            "api.token.revoked",
            data={"user": user.username, "prefix": token.prefix, "reason": "password"},
        )
        count += 1
    return count


@prepared
def _active_with_hash(key_hash: str) -> QuerySet[ApiToken]:
    """Every API request reads its token: compiled once per process (``core.prepared``). The
    expiry is checked on the row read (``is_usable``): a query reading the clock could not be
    kept."""
    return (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=key_hash, user__is_active=True)
    )


def token_user(secret: str) -> ApiToken | None:
    """The usable (neither revoked nor expired) token with this secret, with its user, or
    None. Touches ``last_used_at`` at most once per LAST_USED_PRECISION (bookkeeping, not
    audited)."""
    if not secret or len(secret) > 200:
        return None
    token = _active_with_hash.first(hash_secret(secret))
    now = timezone.now()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
