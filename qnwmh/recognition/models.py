"""Recognition (表彰与典型): the register of rewards given to collectives, and typical-case
stories (典型案例) written by bodies, approved by the city and published on the public site.

Nothing here is deleted: a reward recorded in error is withdrawn with a reason; a published
story is withdrawn (unpublished) and may be published again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions

# Rewards (奖励登记) -------------------------------------------------------------------------------


class RewardKind(models.TextChoices):
    HONORARY = "honorary", _("荣誉奖励")
    MATERIAL = "material", _("物质奖励")


class RewardStatus(models.TextChoices):
    RECORDED = "recorded", _("已登记")
    WITHDRAWN = "withdrawn", _("已撤销登记")


REWARD_TRANSITIONS = Transitions(
    RewardStatus,
    {RewardStatus.RECORDED: {RewardStatus.WITHDRAWN}, RewardStatus.WITHDRAWN: set()},
    refusal=_("奖励当前状态为“%(from)s”，不能执行此操作。"),
)


class Reward(models.Model):
    """One reward given to a collective (optionally for one of its titles), with the decision
    that gave it: its number, date and maker, and the basis it rests on."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="rewards"
    )
    title = models.ForeignKey(
        "collectives.Title",
        on_delete=models.PROTECT,
        related_name="rewards",
        null=True,
        blank=True,
        verbose_name=_("相关称号"),
    )
    kind = models.CharField(_("奖励类别"), max_length=10, choices=RewardKind.choices)
    name = models.CharField(_("奖励名称"), max_length=100)
    basis = models.TextField(_("奖励依据"))
    decision_number = models.CharField(_("决定文号"), max_length=60)
    decided_on = models.DateField(_("决定日期"))
    decided_by_org = models.CharField(_("决定机关"), max_length=100)
    # Material rewards: the amount in yuan (optional) and what was given.
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("奖励内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RewardStatus.choices, default=RewardStatus.RECORDED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Who may withdraw it depends on it: a body may not undo what the city recorded.
    recorded_by_city = models.BooleanField(default=False, editable=False)
    withdrawn_reason = models.TextField(_("撤销理由"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("奖励")
        verbose_name_plural = _("奖励")
        indexes = [models.Index(fields=["status", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.collective} · {self.name}"


# Typical-case stories (典型案例) ------------------------------------------------------------------


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


# A body edits a draft or a returned story and submits it; the city approves or returns it,
# publishes an approved one, and may withdraw it from the site and publish it again.
STORY_TRANSITIONS = Transitions(
    StoryStatus,
    {
        StoryStatus.DRAFT: {StoryStatus.SUBMITTED},
        StoryStatus.SUBMITTED: {StoryStatus.APPROVED, StoryStatus.RETURNED},
        StoryStatus.RETURNED: {StoryStatus.SUBMITTED},
        StoryStatus.APPROVED: {StoryStatus.PUBLISHED},
        StoryStatus.PUBLISHED: {StoryStatus.WITHDRAWN},
        StoryStatus.WITHDRAWN: {StoryStatus.PUBLISHED},
    },
    refusal=_("典型案例当前状态为“%(from)s”，不能执行此操作。"),
)
EDITABLE_STORY = frozenset({StoryStatus.DRAFT, StoryStatus.RETURNED})


class Story(models.Model):
    """A typical case: what a collective did, told by its body with photos."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="stories"
    )
    heading = models.CharField(_("标题"), max_length=100)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    text = models.TextField(_("正文"))
    photos = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("照片")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The city's reason when it returns a story, or withdraws it from the site.
    note = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.heading

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STORY
