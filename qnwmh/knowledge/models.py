"""The knowledge test (知识测试): a question bank, exams drawn from it and timed attempts.

A small engine of its own: certification gives each round an exam, and leader training will
reuse it. An exam says how many questions of each category a paper holds; each attempt draws
its own paper from a recorded seed (reproducible), and is graded on the server against the
deadline set when it started. Nothing here is ever deleted: questions are retired.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions


class Category(models.Model):
    """A topic of the bank (e.g. 创建周期, 评选认定)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("类别"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("题目类别")
        verbose_name_plural = _("题目类别")

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")


class Question(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="questions", verbose_name=_("类别")
    )
    kind = models.CharField(_("题型"), max_length=12, choices=QuestionKind.choices)
    stem = models.TextField(_("题干"))
    # The rule the question tests, e.g. "中山市实施意见 三、（二）".
    rule_ref = models.CharField(_("依据条款"), max_length=200)
    explanation = models.TextField(_("解析"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    # Set when first drawn into a paper: from then on its content is what someone answered.
    drawn = models.BooleanField(_("已被抽用"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__sort_order", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        indexes = [models.Index(fields=["category", "active"])]

    def __str__(self) -> str:
        return self.stem[:40]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    text = models.CharField(_("选项"), max_length=300)
    correct = models.BooleanField(_("正确答案"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "sort_order", "id"]
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self) -> str:
        return self.text


class Exam(models.Model):
    """A test people sit: which questions a paper draws, how long, how it passes.

    ``purpose`` and ``owner_code`` say which app's object it belongs to (e.g. the
    certification round ``certification.round`` with the round's code)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=40)
    owner_code = models.CharField(max_length=16, blank=True)
    # {category code: number of questions drawn from it}
    category_counts = models.JSONField(_("各类别题数"), default=dict)
    time_limit_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=30)
    pass_score = models.PositiveSmallIntegerField(_("合格分"), default=60)
    retakes = models.PositiveSmallIntegerField(_("补考次数"), default=1)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("测试")
        verbose_name_plural = _("测试")
        indexes = [models.Index(fields=["purpose", "owner_code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def attempts_allowed(self) -> int:
        return 1 + self.retakes


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("答题中")
    SUBMITTED = "submitted", _("已交卷")
    EXPIRED = "expired", _("超时自动交卷")


ATTEMPT_TRANSITIONS = Transitions(
    AttemptStatus,
    {
        AttemptStatus.OPEN: {AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED},
        AttemptStatus.SUBMITTED: set(),
        AttemptStatus.EXPIRED: set(),
    },
    refusal=_("本次答题已结束（%(from)s），不能再作答。"),
)


class Attempt(models.Model):
    """One sitting. ``paper`` is the drawn paper ([{"q": question id, "o": [option ids in
    the order shown]}]); ``answers`` maps question id → chosen option ids, saved as the
    candidate goes and counted only if received before ``deadline``."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    taker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whom the attempt counts for: a collective, and the roster member who sat it.
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("集体"),
    )
    member = models.ForeignKey(
        "collectives.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答题人"),
    )
    candidate_name = models.CharField(_("答题人"), max_length=50)
    number = models.PositiveSmallIntegerField(_("第几次"), default=1)
    seed = models.BigIntegerField(_("抽题种子"))
    paper = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    status = models.CharField(
        _("状态"), max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    deadline = models.DateTimeField(_("截止时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    # {category code: {"name": ..., "correct": n, "total": n}}
    per_category = models.JSONField(default=dict, blank=True)
    passed = models.BooleanField(_("是否合格"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "taker"],
                condition=Q(status="open"),
                name="one_open_attempt_per_taker",
            ),
            models.UniqueConstraint(
                fields=["exam", "collective"],
                condition=Q(status="open"),
                name="one_open_attempt_per_collective",
            ),
        ]
        indexes = [
            models.Index(fields=["exam", "collective", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.candidate_name} · {self.number}"
