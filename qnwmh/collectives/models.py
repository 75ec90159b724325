from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.collation import pinyin_key
from qnwmh.core.states import Transitions


class Ownership(models.TextChoices):
    PARTY_GOVERNMENT = "party_government", _("党政机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    NON_PUBLIC = "non_public", _("非公企业")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    OTHER = "other", _("其他")


class Eligibility(models.TextChoices):
    MET = "met", _("符合")
    NEAR = "near", _("临界")
    NOT_MET = "not_met", _("不符合")


class CollectiveStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    ARCHIVED = "archived", _("已归档")


class Collective(models.Model):
    """A stable youth work unit (集体) that creates or holds a title."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("集体名称"), max_length=100)
    # The name's pinyin (qnwmh.core.collation.pinyin_key): lists sort by it, as a clerk
    # expects, instead of by code point. Kept by save() and by every bulk write of names.
    sort_key = models.CharField(max_length=400, default="", editable=False)
    work_unit = models.CharField(_("所在单位"), max_length=100)
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="collectives",
        verbose_name=_("组织管理机构"),
    )
    town = models.ForeignKey(
        "orgs.Town",
        on_delete=models.PROTECT,
        related_name="collectives",
        verbose_name=_("所在镇区"),
    )
    sector = models.ForeignKey(
        "orgs.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collectives",
        verbose_name=_("行业系统"),
    )
    ownership = models.CharField(_("单位性质"), max_length=24, choices=Ownership.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=30, blank=True)
    supervision_email = models.EmailField(_("监督邮箱"), blank=True)
    pledges = models.TextField(_("服务承诺"), blank=True)
    photo = models.ImageField(_("集体照片"), upload_to="collectives/", blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=CollectiveStatus.choices, default=CollectiveStatus.ACTIVE
    )
    # Cached result of the eligibility check so lists can filter on it; recomputed by the
    # services on every roster change and when the programme rules change.
    eligibility = models.CharField(
        _("资格"), max_length=8, choices=Eligibility.choices, default=Eligibility.NOT_MET
    )
    member_count = models.PositiveIntegerField(_("成员数"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("集体")
        verbose_name_plural = _("集体")
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="collective_name_unique_in_body")
        ]
        indexes = [
            # The default ordering, so an unfiltered page is an index walk, not a sort.
            models.Index(fields=["sort_key", "id"], name="collective_sort_key_id"),
            # Each filter's page in the list's order (sort key, id), walked, not sorted.
            models.Index(fields=["body", "sort_key", "id"], name="collective_body_order"),
            models.Index(fields=["town", "sort_key", "id"], name="collective_town_order"),
            models.Index(fields=["sector", "sort_key", "id"], name="collective_sector_order"),
            models.Index(fields=["ownership", "sort_key", "id"], name="collective_owner_order"),
            models.Index(fields=["eligibility", "sort_key", "id"], name="collective_elig_order"),
            # A body admin's filter bar: each option an EXISTS probe inside its bodies.
            models.Index(
                fields=["body", "town", "sector", "ownership", "eligibility"],
                name="collective_body_facets",
            ),
            # A body's recount of its kept counts (``CollectiveCount``: per status, by
            # eligibility) and the list's status filter read from this index alone.
            models.Index(
                fields=["status", "body", "eligibility", "id"], name="collective_home_counts"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = pinyin_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "sort_key"}
        super().save(*args, **kwargs)

    @property
    def is_non_public(self) -> bool:
        return self.ownership == Ownership.NON_PUBLIC


class CollectiveCount(models.Model):
    """How many collectives share a body, status and eligibility: the office home reads these
    few rows (six per body at most) instead of counting a million-collective city's
    collectives on every view.

    Derived: ``qnwmh.collectives.counts`` recounts a body's rows in the transaction of every
    write that moves a collective into, out of or within it (model signals, and the bulk
    paths: the eligibility refreshes and the importer); ``manage.py rebuild_collective_counts``
    recomputes them all (after bulk loads). No database foreign key: the rows are rebuilt
    from the collectives, never the reverse."""

    body = models.ForeignKey(
        "orgs.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=12, choices=CollectiveStatus.choices)
    eligibility = models.CharField(max_length=8, choices=Eligibility.choices)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body", "status", "eligibility"], name="one_collective_count_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body_id} · {self.status} · {self.eligibility}: {self.n}"


class Nationality(models.TextChoices):
    CN = "CN", _("中国")
    OTHER = "XX", _("其他国籍")


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)


class Member(models.Model):
    """A person on a collective's roster. Leaving sets ``left_on``; the row stays."""

    collective = models.ForeignKey(Collective, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    birth_date = models.DateField(_("出生日期"))
    nationality = models.CharField(
        _("国籍"), max_length=2, choices=Nationality.choices, default=Nationality.CN
    )
    post = models.CharField(_("岗位"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_leader = models.BooleanField(_("号长"), default=False)
    joined_on = models.DateField(_("加入日期"), default=timezone.localdate)
    left_on = models.DateField(_("离开日期"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["-is_leader", "name", "id"]
        verbose_name = _("集体成员")
        verbose_name_plural = _("集体成员")
        constraints = [
            models.UniqueConstraint(
                fields=["collective"],
                condition=Q(is_leader=True, left_on__isnull=True),
                name="one_current_leader",
            ),
            # A double submit (or two clerks at once) must not list a person twice.
            models.UniqueConstraint(
                fields=["collective", "name", "birth_date"],
                condition=Q(left_on__isnull=True),
                name="one_current_row_per_person",
            ),
        ]
        indexes = [models.Index(fields=["collective", "left_on"])]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    NATIONAL = "national", _("全国级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


HIGHER_LEVELS = (Level.NATIONAL, Level.PROVINCIAL)

# The 三级三星制 scheme: a title is awarded with up to three stars at any level, and a star-down
# sanction may take the last one away, so a title in force holds 0 to 3.
MAX_STARS = 3
STARS = tuple(range(MAX_STARS + 1))


class TitleStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已失效")


class TitleQuerySet(models.QuerySet["Title"]):
    def active(self) -> TitleQuerySet:
        """Titles in force (not revoked, not expired)."""
        return self.filter(status=TitleStatus.ACTIVE)


class Title(models.Model):
    """A title held by a collective at one level; ends by revocation or expiry, never deleted."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    collective = models.ForeignKey(Collective, on_delete=models.PROTECT, related_name="titles")
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    stars = models.PositiveSmallIntegerField(_("星级"), default=1)
    session_no = models.PositiveSmallIntegerField(_("届次"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TitleStatus.choices, default=TitleStatus.ACTIVE
    )
    awarded_on = models.DateField(_("授予日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    external_id = models.CharField(_("外部系统编号"), max_length=64, blank=True)

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "-id"]
        verbose_name = _("称号")
        verbose_name_plural = _("称号")
        constraints = [
            models.CheckConstraint(name="stars_0_to_3", condition=Q(stars__lte=MAX_STARS)),
            models.UniqueConstraint(
                fields=["collective", "level"],
                condition=Q(status="active"),
                name="one_active_title_per_level",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "status"]),
            # The title list's order (newest first): its first page is a walk, not a sort of
            # every title in the city.
            models.Index(fields=["-awarded_on", "-id"], name="title_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.collective} · {self.get_level_display()} · 第{self.session_no}届"


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("有错误")
    READY = "ready", _("待确认")
    APPLIED = "applied", _("已导入")


# A batch is created ``invalid`` or ``ready`` by the preview; only a ready one is applied (or,
# if its rows went stale since the preview, turns invalid).
IMPORT_TRANSITIONS = Transitions(
    ImportStatus,
    {
        ImportStatus.INVALID: set(),
        ImportStatus.READY: {ImportStatus.APPLIED, ImportStatus.INVALID},
        ImportStatus.APPLIED: set(),
    },
)


class ImportBatch(models.Model):
    """One uploaded spreadsheet of collectives and rosters. The file stays in storage between
    the preview and the confirmation (and afterwards, as the record); nothing is deleted."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("预览"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.original_name
