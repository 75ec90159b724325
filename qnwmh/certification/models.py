"""Certification I (评选认定): the round of a cycle's certification phase, applications (申报)
with their self-assessment per dimension, the expert reviewers (评委) with their review areas
(片区), panels and conflicts of interest, assignments, score sheets for the two score sets
(现场考核, 集中答辩), defence sessions with their drawn order, and each application's aggregate.

States are ``TextChoices`` with a ``Transitions`` table beside them; only the services change
them. Nothing here is ever deleted. The rubric, weights and aggregation come from the cycle's
frozen rules (``Cycle.rule``); see ``qnwmh.programme.models.Dimension``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions
from qnwmh.programme.models import Dimension

# The round -----------------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    APPLICATIONS = "applications", _("申报中")
    REVIEW = "review", _("测试与评审")
    CLOSED = "closed", _("评分已截止")


# One step forward; a city admin may step back one with a reason (reopen applications or
# scoring). Closing with work pending needs force and a reason (the services check).
ROUND_TRANSITIONS = Transitions(
    RoundStatus,
    {
        RoundStatus.DRAFT: {RoundStatus.APPLICATIONS},
        RoundStatus.APPLICATIONS: {RoundStatus.REVIEW},
        RoundStatus.REVIEW: {RoundStatus.CLOSED, RoundStatus.APPLICATIONS},
        RoundStatus.CLOSED: {RoundStatus.REVIEW},
    },
    refusal=_("评选认定当前为“%(from)s”，不能转到“%(to)s”。"),
)


class CertificationRound(models.Model):
    """The certification phase of one cycle, with its own windows (dates, inclusive)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    cycle = models.OneToOneField(
        "cycles.Cycle",
        on_delete=models.PROTECT,
        related_name="certification_round",
        verbose_name=_("创建周期"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    applications_open_on = models.DateField(_("申报开始日期"))
    applications_close_on = models.DateField(_("申报截止日期"))
    test_opens_on = models.DateField(_("知识测试开始日期"))
    test_closes_on = models.DateField(_("知识测试截止日期"))
    site_from = models.DateField(_("现场考核开始日期"))
    site_to = models.DateField(_("现场考核结束日期"))
    defence_from = models.DateField(_("集中答辩开始日期"))
    defence_to = models.DateField(_("集中答辩结束日期"))
    scoring_closes_on = models.DateField(_("评分截止日期"))
    exam = models.ForeignKey(
        "knowledge.Exam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("知识测试"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-cycle__session_no"]
        verbose_name = _("评选认定")
        verbose_name_plural = _("评选认定")

    def __str__(self) -> str:
        return str(_("%(cycle)s评选认定") % {"cycle": self.cycle})

    @property
    def reference_date(self) -> datetime.date:
        """Eligibility is re-checked on the certification date (domain default 1)."""
        return self.cycle.certification_starts_on


# Review areas and reviewers --------------------------------------------------------------------


class ReviewArea(models.Model):
    """A geographic group of a review round (片区): the towns whose collectives it reviews."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("片区名称"), max_length=50, unique=True)
    towns = models.ManyToManyField("orgs.Town", related_name="+", verbose_name=_("镇区"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("评审片区")
        verbose_name_plural = _("评审片区")

    def __str__(self) -> str:
        return self.name


class Reviewer(models.Model):
    """An expert in the pool (专家评委): an account holding the reviewer role."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile"
    )
    expertise = models.CharField(_("专业领域"), max_length=100)
    employer = models.CharField(_("工作单位"), max_length=100)
    # The managing body the reviewer belongs to, if any (a conflict for its collectives).
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属组织管理机构"),
    )
    areas = models.ManyToManyField(
        ReviewArea, related_name="reviewers", blank=True, verbose_name=_("服务片区")
    )
    # Where the reviewer works: a conflict with that town's collectives when the rules say so.
    town = models.ForeignKey(
        "orgs.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在镇区"),
    )
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__first_name", "id"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class Panel(models.Model):
    """The reviewers of one review area in one round, with a chair and a secretary."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    round = models.ForeignKey(CertificationRound, on_delete=models.PROTECT, related_name="panels")
    area = models.ForeignKey(ReviewArea, on_delete=models.PROTECT, related_name="panels")
    chair = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组长"),
    )
    # The panel secretary enters paper score sheets (a staff account).
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("秘书"),
    )
    members = models.ManyToManyField(Reviewer, related_name="panels", verbose_name=_("评委"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "area__sort_order"]
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="one_panel_per_area_and_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.area}"


class ConflictDeclaration(models.Model):
    """A conflict of interest the reviewer declared (automatic ones are computed, not stored)."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="declarations")
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("回避理由"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("回避声明")
        verbose_name_plural = _("回避声明")
        indexes = [models.Index(fields=["reviewer", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.collective}"


# Applications ---------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("待推荐")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("已推荐")
    WITHDRAWN = "withdrawn", _("已撤回")


LIVE_APPLICATION_STATUSES: tuple[str, ...] = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RECOMMENDED,
)
# Submitted applications are locked: the collective edits only these.
EDITABLE_APPLICATION_STATUSES: tuple[str, ...] = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.RETURNED,
)
APPLICATION_TRANSITIONS = Transitions(
    ApplicationStatus,
    {
        ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
        ApplicationStatus.SUBMITTED: {
            ApplicationStatus.RECOMMENDED,
            ApplicationStatus.RETURNED,
            ApplicationStatus.WITHDRAWN,
        },
        ApplicationStatus.RETURNED: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
        ApplicationStatus.RECOMMENDED: {ApplicationStatus.RETURNED, ApplicationStatus.WITHDRAWN},
        ApplicationStatus.WITHDRAWN: set(),
    },
    refusal=_("申报当前状态为“%(from)s”，不能执行此操作。"),
)


class Application(models.Model):
    """A collective's certification application (申报) in a round."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    round = models.ForeignKey(
        CertificationRound, on_delete=models.PROTECT, related_name="applications"
    )
    registration = models.ForeignKey(
        "cycles.Registration", on_delete=models.PROTECT, related_name="+"
    )
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("集体"),
    )
    # Copied from the registration so the round's figures do not move when the collective does.
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织管理机构"),
    )
    town = models.ForeignKey(
        "orgs.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("镇区")
    )
    area = models.ForeignKey(
        ReviewArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("评审片区"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    special_recommendation = models.BooleanField(_("特别推荐"), default=False)
    statement = models.TextField(_("事迹材料"), blank=True)

    eligibility = models.CharField(_("资格"), max_length=8, blank=True)
    eligibility_checks = models.JSONField(_("资格核查结果"), default=list, blank=True)
    eligibility_on = models.DateField(_("资格核查基准日"), null=True, blank=True)
    # The cycle's supervision figures (社会评价), attached at submission.
    appraisal = models.JSONField(_("社会评价"), default=dict, blank=True)

    recommendation = models.TextField(_("推荐意见"), blank=True)
    body_rank = models.PositiveIntegerField(_("推荐排序"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_at = models.DateTimeField(_("推荐时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "body__path", "body_rank", "id"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "collective"],
                condition=Q(status__in=["draft", "submitted", "returned", "recommended"]),
                name="one_live_application_per_round",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "body", "status"]),
            models.Index(fields=["round", "status"]),
            models.Index(fields=["round", "area", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.collective} · {self.round}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_APPLICATION_STATUSES


class SelfAssessment(models.Model):
    """The collective's self-assessment on one dimension: text, and links to its own creation
    records and evidence (picked, not re-uploaded)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assessments"
    )
    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices)
    text = models.TextField(_("自评"), blank=True)
    entries = models.ManyToManyField(
        "creation.LogEntry", related_name="+", blank=True, verbose_name=_("创建日志")
    )
    files = models.ManyToManyField(
        "evidence.EvidenceFile", related_name="+", blank=True, verbose_name=_("佐证文件")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "dimension"], name="one_assessment_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_dimension_display()}"


# Assignments ----------------------------------------------------------------------------------


class AssignmentDraw(models.Model):
    """One automatic, balanced assignment run: the seed and what it produced (reproducible)."""

    round = models.ForeignKey(CertificationRound, on_delete=models.PROTECT, related_name="draws")
    area = models.ForeignKey(
        ReviewArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seed = models.BigIntegerField(_("随机种子"))
    per_application = models.PositiveSmallIntegerField(_("每份申报评委人数"))
    # {"applications": n, "loads": {reviewer code: n}}
    summary = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("自动分配记录")
        verbose_name_plural = _("自动分配记录")

    def __str__(self) -> str:
        return f"{self.round} · {self.seed}"


class AssignmentStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    CANCELLED = "cancelled", _("已撤销")


LIVE_ASSIGNMENT_STATUSES: tuple[str, ...] = (AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED)
ASSIGNMENT_TRANSITIONS = Transitions(
    AssignmentStatus,
    {
        AssignmentStatus.INVITED: {
            AssignmentStatus.ACCEPTED,
            AssignmentStatus.DECLINED,
            AssignmentStatus.CANCELLED,
        },
        AssignmentStatus.ACCEPTED: {AssignmentStatus.CANCELLED},
        AssignmentStatus.DECLINED: set(),
        AssignmentStatus.CANCELLED: set(),
    },
    refusal=_("评审邀请当前为“%(from)s”，不能执行此操作。"),
)


class Assignment(models.Model):
    """A reviewer invited to review one application (both score sets)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.INVITED,
    )
    draw = models.ForeignKey(
        AssignmentDraw, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    due_on = models.DateField(_("评分截止日期"))
    decline_reason = models.CharField(_("谢绝理由"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                condition=Q(status__in=["invited", "accepted"]),
                name="one_live_assignment_per_reviewer",
            )
        ]
        indexes = [
            models.Index(fields=["reviewer", "status", "due_on"]),
            models.Index(fields=["application", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application}"


# Scoring --------------------------------------------------------------------------------------


class ScoreSet(models.TextChoices):
    SITE = "site", _("现场考核")
    DEFENCE = "defence", _("集中答辩")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已提交")
    REOPENED = "reopened", _("组长退回重评")


SHEET_TRANSITIONS = Transitions(
    SheetStatus,
    {
        SheetStatus.DRAFT: {SheetStatus.SUBMITTED},
        SheetStatus.REOPENED: {SheetStatus.SUBMITTED},
        SheetStatus.SUBMITTED: {SheetStatus.REOPENED},
    },
    refusal=_("评分表当前为“%(from)s”，不能执行此操作。"),
)


class ScoreSheet(models.Model):
    """One reviewer's scores for one application in one score set.

    ``scores`` maps dimension → {"points": "12.5", "comment": "…"}; ``total`` is the weighted
    total out of 100 under the rubric, kept when the sheet is submitted."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="sheets")
    # Copied from the assignment so the aggregation reads one table.
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sheets")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="sheets")
    score_set = models.CharField(_("评分类别"), max_length=8, choices=ScoreSet.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    scores = models.JSONField(default=dict)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # A paper sheet entered by the panel secretary, with its scan.
    paper = models.BooleanField(_("纸质评分表录入"), default=False)
    scan = models.ForeignKey(
        "evidence.EvidenceFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评分表扫描件"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("退回重评原因"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "score_set", "id"]
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "score_set"], name="one_sheet_per_assignment_and_set"
            )
        ]
        indexes = [
            models.Index(fields=["application", "score_set", "status"]),
            models.Index(fields=["reviewer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application} · {self.get_score_set_display()}"


class DefenceSession(models.Model):
    """A central defence session (集中答辩) of a panel: when, where, and the order drawn by lot."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    round = models.ForeignKey(
        CertificationRound, on_delete=models.PROTECT, related_name="defence_sessions"
    )
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="defence_sessions")
    starts_at = models.DateTimeField(_("开始时间"))
    venue = models.CharField(_("地点"), max_length=200)
    seed = models.BigIntegerField(_("抽签种子"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("答辩场次")
        verbose_name_plural = _("答辩场次")

    def __str__(self) -> str:
        return f"{self.panel} · {self.venue}"


class DefenceSlot(models.Model):
    """An application's place in a defence session; ``order`` is set by the draw."""

    session = models.ForeignKey(DefenceSession, on_delete=models.PROTECT, related_name="slots")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="defence_slot"
    )
    order = models.PositiveSmallIntegerField(_("答辩顺序"), null=True, blank=True)

    class Meta:
        ordering = ["session", "order", "id"]
        verbose_name = _("答辩顺序")
        verbose_name_plural = _("答辩顺序")

    def __str__(self) -> str:
        return f"{self.session} · {self.order}"


class ApplicationResult(models.Model):
    """An application's aggregated scores, recomputed whenever a sheet is submitted or
    reopened and when the round's aggregation runs."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="result")
    site_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    defence_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    combined = models.DecimalField(
        _("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    method = models.CharField(max_length=16, blank=True)
    site_sheets = models.PositiveSmallIntegerField(default=0)
    defence_sheets = models.PositiveSmallIntegerField(default=0)
    # Largest spread between reviewers' totals in a set, and whether it passes the rules' line.
    spread = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    divergent = models.BooleanField(_("评分分歧预警"), default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评分汇总")
        verbose_name_plural = _("评分汇总")
        indexes = [models.Index(fields=["divergent"])]

    def __str__(self) -> str:
        return f"{self.application} · {self.combined}"
