from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff, collective or reviewer account. The public never has one."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # Set by an administrator's password reset: every page leads to the password change
    # until the user replaces the temporary password.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # Moves on whenever what a signed-in session keeps about this user goes stale: their
    # grants (or the organisation tree those cover) or their unread notices (``accounts.kept``).
    # Only ``kept.changed`` writes it, in the same transaction as the change.
    state_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Saving a loaded user never writes back the version it was read with: a change that
        # moved it on meanwhile must not be undone (the stale kept state would match again).
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()  # as Django's own save leaves them out
            kwargs["update_fields"] = [f for f in _saved_fields() if f not in deferred]
        super().save(*args, **kwargs)


@cache
def _saved_fields() -> tuple[str, ...]:
    """Every field a full save of a loaded user writes: all but the key and the version."""
    return tuple(
        f.name
        for f in User._meta.concrete_fields
        if not f.primary_key and f.name != "state_version"
    )


class LoginEvent(models.Model):
    """Every login, failure, lockout and logout, for city admins to read."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("登录成功")
        FAILURE = "failure", _("登录失败")
        LOCKOUT = "lockout", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        UNLOCK = "unlock", _("管理员解锁")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    username = models.CharField(max_length=150, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
