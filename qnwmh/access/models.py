"""What people may do: role grants on organisations and collectives, and API tokens.

Both moved here from ``accounts`` and ``api`` (they point at organisations and collectives,
which sit above accounts); their tables keep their old names (``db_table``)."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.actor import Role
from qnwmh.core.codes import new_code

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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        db_table = "accounts_roleassignment"
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


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100, blank=True)
    # The first characters of the secret, kept in clear so people can tell tokens apart.
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        db_table = "api_apitoken"
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def is_usable(self, now: datetime.datetime) -> bool:
        """Neither revoked nor expired (older than API_TOKEN_DAYS). Checked on the row read:
        the token query is compiled once per process and cannot read the clock."""
        return self.is_active and self.created_at > now - lifetime()

    @property
    def expires_at(self) -> datetime.datetime:
        """Tokens live API_TOKEN_DAYS from issue; the setting applies to existing ones too."""
        return self.created_at + lifetime()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
