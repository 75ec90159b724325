"""The platform's tables, read as they are (never migrated from here)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models


class User(AbstractBaseUser):
    username = models.CharField(max_length=150, unique=True)
    is_active = models.BooleanField(default=True)

    USERNAME_FIELD = "username"
    objects = BaseUserManager()

    class Meta:
        managed = False
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.username


class Organisation(models.Model):
    code = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=10)

    class Meta:
        managed = False
        db_table = "orgs_organisation"

    def __str__(self) -> str:
        return self.code
