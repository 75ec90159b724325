from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff, collective or reviewer account. The public never has one."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # Set by an administrator's password reset: every page leads to the password change
    # until the user replaces the temporary password.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("团市委管理员")
    BODY_ADMIN = "body_admin", _("基层团委管理员")
    COLLECTIVE_MANAGER = "collective_manager", _("集体管理员")
    REVIEWER = "reviewer", _("评审专家")


# Which target each role is granted on.
ROLE_TARGET = {
    Role.CITY_ADMIN: "organisation",
    Role.BODY_ADMIN: "organisation",
    Role.COLLECTIVE_MANAGER: "collective",
    Role.REVIEWER: None,
}


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self) -> RoleAssignmentQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A role held on an organisation (covering its subtree) or on one collective.

    Revoking sets ``revoked_at``; the row stays as history.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="role_target_matches",
                condition=(
                    Q(
                        role__in=["city_admin", "body_admin"],
                        organisation__isnull=False,
                        collective__isnull=True,
                    )
                    | Q(
                        role="collective_manager",
                        organisation__isnull=True,
                        collective__isnull=False,
                    )
                    | Q(role="reviewer", collective__isnull=True)
                ),
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        target = self.collective or self.organisation or ""
        return f"{self.get_role_display()} · {target}"


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
