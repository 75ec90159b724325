from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code


class Town(models.Model):
    """A town or street (镇区). Reference data that city admins maintain."""

    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        STREET = "street", _("街道")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    also_known_as = models.CharField(_("曾用名/别称"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("镇区")
        verbose_name_plural = _("镇区")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """An industry system (行业系统): public security, tax, health, ..."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("行业系统")
        verbose_name_plural = _("行业系统")

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def bodies(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.BODY)

    def in_subtrees(self, paths: Iterable[str]) -> OrganisationQuerySet:
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition) if condition else self.none()

    def containing(self, path: str) -> OrganisationQuerySet:
        """The organisation at ``path`` and every one above it (its ancestors), read from the
        path's own segments, whatever their width."""
        return self.filter(path__in=path_prefixes(path))


def path_prefixes(path: str) -> list[str]:
    """ "0001/0007/" -> ["0001/", "0001/0007/"]."""
    segments = [s for s in path.split("/") if s]
    return ["".join(f"{s}/" for s in segments[: i + 1]) for i in range(len(segments))]


class Organisation(models.Model):
    """The league tree: the city league (团市委) above managing bodies (基层团委/团工委).

    ``path`` is a materialised path ("0001/0007/") so a subtree is one indexed prefix query.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("团市委")
        BODY = "body", _("基层团委/团工委")

    class BodyKind(models.TextChoices):
        TERRITORIAL = "territorial", _("镇区")
        INDUSTRY = "industry", _("行业系统")

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices)
    body_kind = models.CharField(_("类型"), max_length=12, choices=BodyKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("镇区")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("行业系统")
    )
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            models.CheckConstraint(
                name="body_kind_matches",
                condition=(
                    Q(kind="city", body_kind="", town__isnull=True, sector__isnull=True)
                    | Q(
                        kind="body",
                        body_kind="territorial",
                        town__isnull=False,
                        sector__isnull=True,
                    )
                    | Q(kind="body", body_kind="industry", town__isnull=True, sector__isnull=False)
                ),
                violation_error_message=_(
                    "镇区团委须选择所在镇区（不选行业），行业团委须选择行业系统（不选镇区）。"
                ),
            ),
            models.UniqueConstraint(
                fields=["town"],
                condition=Q(kind="body"),
                name="one_body_per_town",
                violation_error_message=_("该镇区已有组织管理机构。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.kind == self.Kind.CITY
