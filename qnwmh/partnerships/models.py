"""Joint creation projects (号号联创) between titled collectives and mentor pairs (新老结对) of a
titled mentor and a creating mentee. Both are proposed by a managing body and confirmed (or
returned with a reason) by the city; a confirmed one runs until it is closed. Nothing is
deleted: a proposal the city returns stays, with its reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions


class Status(models.TextChoices):
    PROPOSED = "proposed", _("待市级确认")
    RETURNED = "returned", _("已退回")
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")


# Shared by projects and pairs: the city confirms or returns a proposal; a running one closes.
TRANSITIONS = Transitions(
    Status,
    {
        Status.PROPOSED: {Status.ACTIVE, Status.RETURNED},
        Status.RETURNED: set(),
        Status.ACTIVE: {Status.CLOSED},
        Status.CLOSED: set(),
    },
    refusal=_("当前状态为“%(from)s”，不能执行此操作。"),
)

OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE)


class Proposal(models.Model):
    """What a project and a pair share: who proposed it, the city's decision, the closing."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提出单位"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class JointCreation(Proposal):
    """号号联创: two or more titled collectives working to one goal, with milestones."""

    name = models.CharField(_("项目名称"), max_length=100)
    goal = models.TextField(_("联创目标"))
    partners = models.ManyToManyField(
        "collectives.Collective", related_name="joint_creations", verbose_name=_("联创集体")
    )
    outcome = models.TextField(_("联创成效"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("号号联创")
        verbose_name_plural = _("号号联创")
        indexes = [models.Index(fields=["status", "proposed_at"])]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(JointCreation, on_delete=models.PROTECT, related_name="milestones")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("完成情况"), blank=True)
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("佐证材料")
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="milestone_number_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.TextChoices):
    ACHIEVED = "achieved", _("达到预期")
    PARTLY = "partly", _("基本达到")
    NOT_ACHIEVED = "not_achieved", _("未达到预期")


class MentorPair(Proposal):
    """新老结对: a titled collective mentors one creating in this cycle."""

    mentor = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="mentoring",
        verbose_name=_("结对导师集体"),
    )
    mentee = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="mentored",
        verbose_name=_("结对创建集体"),
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    plan = models.TextField(_("约定活动"))
    review = models.TextField(_("结对总结评价"), blank=True)
    rating = models.CharField(_("评价结论"), max_length=16, choices=Rating.choices, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("新老结对")
        verbose_name_plural = _("新老结对")
        indexes = [models.Index(fields=["mentee", "cycle", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


class PairActivity(models.Model):
    """An agreed activity held by a pair; recorded once, it goes into both creation logs."""

    pair = models.ForeignKey(MentorPair, on_delete=models.PROTECT, related_name="activities")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("活动名称"), max_length=100)
    occurred_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    description = models.TextField(_("活动情况"))
    photos = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("活动照片")
    )
    logged = models.PositiveSmallIntegerField(default=0)  # creation logs it went into (0–2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pair", "occurred_on", "id"]

    def __str__(self) -> str:
        return self.name
