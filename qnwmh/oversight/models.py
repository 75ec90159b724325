"""Oversight (动态管理): keeping a title honest after it is given.

The quantified standard (量化考核标准) a year's re-review scores against; the annual re-review
(复核) with one case per city title; the spot check (抽检): a seeded, stratified draw and the
visits (明察暗访) it leads to; sanctions on the national ladder — warning (警告提醒), star
adjustment (调整星级), revocation (撤销) — with rectification orders (整改) in between; and the
exit (退出) that ends a title with its reason and the recovery of its plaque.

States are ``TextChoices`` with a ``Transitions`` table beside them; only the services change
them. Nothing here is ever deleted. A standard in use is frozen; a draw stores its seed and its
population, so anyone can draw it again and get the same sample.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions

# The quantified standard (量化考核标准) -----------------------------------------------------------


class Source(models.TextChoices):
    """Who gives an item its points."""

    SELF = "self", _("集体自评")
    BODY = "body", _("团委评价")
    COMPUTED = "computed", _("平台计算")


class Metric(models.TextChoices):
    """What the platform computes a ``COMPUTED`` item from, over the review's year."""

    CREATION_COMPLIANCE = "creation_compliance", _("创建日志按月填写")
    OPEN_WEEKS = "open_weeks", _("每月开放周")
    UPHELD_COMPLAINTS = "upheld_complaints", _("年度属实投诉")
    RATINGS = "ratings", _("年度群众评分")
    LEADER_TRAINING = "leader_training", _("号长轮训覆盖率")


class Outcome(models.TextChoices):
    """What a re-review case ends in (the standard's marks propose it, the city decides)."""

    PASS = "pass", _("合格")
    WARNING = "warning", _("警告提醒")
    STAR_DOWN = "star_down", _("调整星级")
    REVOKE = "revoke", _("撤销称号")


class Standard(models.Model):
    """One year's version of the quantified standard: items with points and a source, the pass
    mark and the marks below which a case is proposed a warning, a star down or revocation.
    City staff edit it until a re-review uses it; from then on it is frozen (``frozen_at``) and
    a change means a new version."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    # total ≥ pass_mark → pass; ≥ warning_mark → warning; ≥ star_down_mark → star down;
    # below → revoke.
    pass_mark = models.PositiveSmallIntegerField(_("合格分"), default=80)
    warning_mark = models.PositiveSmallIntegerField(_("警告提醒分数线"), default=70)
    star_down_mark = models.PositiveSmallIntegerField(_("调整星级分数线"), default=60)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("量化考核标准")
        verbose_name_plural = _("量化考核标准")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="one_standard_version"),
            models.CheckConstraint(
                name="standard_marks_ordered",
                condition=Q(pass_mark__gte=models.F("warning_mark"))
                & Q(warning_mark__gte=models.F("star_down_mark")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.name}（第{self.version}版）"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def outcome_for(self, total: float) -> str:
        """The outcome the marks propose for a total."""
        if total >= self.pass_mark:
            return Outcome.PASS
        if total >= self.warning_mark:
            return Outcome.WARNING
        if total >= self.star_down_mark:
            return Outcome.STAR_DOWN
        return Outcome.REVOKE


class StandardItem(models.Model):
    """One scored item of a standard. A computed item names its metric; the others are scored
    by the collective (with evidence) or by its managing body."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("考核项目"), max_length=200)
    points = models.PositiveSmallIntegerField(_("分值"))
    source = models.CharField(_("评分来源"), max_length=10, choices=Source.choices)
    metric = models.CharField(_("计算指标"), max_length=24, choices=Metric.choices, blank=True)
    guidance = models.TextField(_("评分说明"), blank=True)
    evidence_required = models.BooleanField(_("须提交佐证"), default=False)

    class Meta:
        ordering = ["standard", "position"]
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        constraints = [
            models.UniqueConstraint(fields=["standard", "position"], name="one_item_position"),
            models.CheckConstraint(
                name="computed_item_has_metric",
                condition=(Q(source="computed") & ~Q(metric=""))
                | (~Q(source="computed") & Q(metric="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}（{self.points}分）"


# The annual re-review (复核) ----------------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class AnnualReview(models.Model):
    """A year's re-review campaign over every active city title. Opening it freezes its
    standard and creates one case per title (exempt ones included, marked with the reason);
    it closes only when every case is decided."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        _("状态"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    self_report_due = models.DateField(_("自评截止日期"))
    assessment_due = models.DateField(_("团委评价截止日期"))
    note = models.TextField(_("说明"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(_("结束说明"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度复核")
        verbose_name_plural = _("年度复核")

    def __str__(self) -> str:
        return _("%(year)s 年度复核") % {"year": self.year}


REVIEW_TRANSITIONS = Transitions(
    ReviewStatus,
    {ReviewStatus.OPEN: {ReviewStatus.CLOSED}, ReviewStatus.CLOSED: set()},
    refusal=_("复核当前状态为“%(from)s”，不能执行此操作。"),
)


class CaseStatus(models.TextChoices):
    EXEMPT = "exempt", _("免于复核")
    AWAITING_SELF = "awaiting_self", _("待集体自评")
    SELF_REPORTED = "self_reported", _("待团委评价")
    ASSESSED = "assessed", _("待市级确认")
    DECIDED = "decided", _("已确认")


# The collective reports, its body assesses (also without a self-report once it is late), the
# city decides; the city may decide any open case directly ("forced", with a reason) so that a
# campaign can close. An exempt case never moves.
CASE_TRANSITIONS = Transitions(
    CaseStatus,
    {},
    actions={
        "self_report": (
            {CaseStatus.AWAITING_SELF, CaseStatus.SELF_REPORTED},
            CaseStatus.SELF_REPORTED,
        ),
        "assess": (
            {CaseStatus.AWAITING_SELF, CaseStatus.SELF_REPORTED, CaseStatus.ASSESSED},
            CaseStatus.ASSESSED,
        ),
        "decide": ({CaseStatus.ASSESSED}, CaseStatus.DECIDED),
        "force": ({CaseStatus.AWAITING_SELF, CaseStatus.SELF_REPORTED}, CaseStatus.DECIDED),
    },
    refusal=_("复核个案当前状态为“%(from)s”，不能执行此操作。"),
)


class ReviewCase(models.Model):
    """One city title in a re-review. Scores per item are stored by source: the collective's
    self-report, the body's assessment, and the computed items (refreshed until the body
    assesses). ``body`` is the managing body when the campaign opened."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    review = models.ForeignKey(AnnualReview, on_delete=models.PROTECT, related_name="cases")
    title = models.ForeignKey(
        "collectives.Title", on_delete=models.PROTECT, related_name="review_cases"
    )
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="review_cases"
    )
    body = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    # The list's sort keys, copies of the body's name and the collective's ``sort_key`` kept
    # by ``oversight.sortkeys``: ordering by the joined columns sorted every case of the
    # campaign for each page; on the case, one index serves a page.
    body_name = models.CharField(max_length=100, default="", editable=False)
    collective_key = models.CharField(max_length=400, default="", editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices)
    exempt_reason = models.TextField(_("免于复核理由"), blank=True)
    # {str(item_id): {"points": "12.5", "note": "..."}}; evidence files by purpose.
    self_scores = models.JSONField(_("集体自评"), default=dict, blank=True)
    self_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    self_reported_at = models.DateTimeField(null=True, blank=True)
    # {str(item_id): {"points": "8", "detail": "11/12 个月已填写"}}
    computed_scores = models.JSONField(_("平台计算"), default=dict, blank=True)
    body_scores = models.JSONField(_("团委评价"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_outcome = models.CharField(
        _("团委建议结论"), max_length=10, choices=Outcome.choices, blank=True
    )
    assessment_note = models.TextField(_("团委评价意见"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("复核结论"), max_length=10, choices=Outcome.choices, blank=True)
    # Required when the city changes the body's proposal or decides without one (forced).
    decision_reason = models.TextField(_("确认理由"), blank=True)
    forced = models.BooleanField(_("市级直接确认"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The self-report's supporting files (purpose ``oversight.review``).
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("自评佐证材料")
    )

    class Meta:
        ordering = ["review", "body", "collective_key", "id"]
        verbose_name = _("复核个案")
        verbose_name_plural = _("复核个案")
        constraints = [
            models.UniqueConstraint(fields=["review", "title"], name="one_case_per_title")
        ]
        indexes = [
            models.Index(fields=["review", "status"]),
            # The cases list in its order: the city's, and one body's (also its progress).
            models.Index(
                fields=["review", "body_name", "collective_key", "id"], name="case_list_order"
            ),
            models.Index(
                fields=["review", "body", "body_name", "collective_key", "id"],
                name="case_body_list_order",
            ),
            models.Index(fields=["review", "body", "status"], name="case_body_status"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.collective}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.collective_key:
            self.body_name = self.body.name
            self.collective_key = self.collective.sort_key
        super().save(*args, **kwargs)


# Spot checks (抽检) and visits (明察暗访) ----------------------------------------------------------


class SpotCheck(models.Model):
    """A year's draw: ``pct`` of the active city titles, stratified by town, sector and
    ownership, plus every collective with a complaint upheld that year. The seed and the
    population as drawn from are stored, so the draw can be repeated by anyone."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    pct = models.PositiveSmallIntegerField(_("抽检比例（%）"))
    seed = models.CharField(_("随机种子"), max_length=64)
    # [[title_id, town_id, sector_id, ownership], ...] sorted by title id.
    population = models.JSONField(_("抽样总体"), default=list)
    # Title ids drawn at random, and those in for an upheld complaint (kept apart).
    drawn = models.JSONField(_("随机抽中"), default=list)
    upheld = models.JSONField(_("属实投诉必检"), default=list)
    note = models.TextField(_("说明"), blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-drawn_at"]
        verbose_name = _("抽检")
        verbose_name_plural = _("抽检")

    def __str__(self) -> str:
        return _("%(year)s 年度抽检") % {"year": self.year}


class VisitReason(models.TextChoices):
    RANDOM = "random", _("随机抽中")
    UPHELD_COMPLAINT = "upheld_complaint", _("有属实投诉")
    OTHER = "other", _("其他线索")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("待走访")
    RECORDED = "recorded", _("已记录")
    CLOSED = "closed", _("已办结")


VISIT_TRANSITIONS = Transitions(
    VisitStatus,
    {
        VisitStatus.PLANNED: {VisitStatus.RECORDED},
        VisitStatus.RECORDED: {VisitStatus.RECORDED, VisitStatus.CLOSED},
        VisitStatus.CLOSED: set(),
    },
    refusal=_("走访当前状态为“%(from)s”，不能执行此操作。"),
)


class VisitResult(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class Visit(models.Model):
    """An announced or covert (暗访) visit to a titled collective, usually one case of a spot
    check. A covert visit is not shown to the collective until it is closed."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.PROTECT, related_name="visits", null=True, blank=True
    )
    title = models.ForeignKey("collectives.Title", on_delete=models.PROTECT, related_name="visits")
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="visits"
    )
    reason = models.CharField(_("抽检原因"), max_length=20, choices=VisitReason.choices)
    covert = models.BooleanField(_("暗访"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    inspectors = models.CharField(_("检查人员"), max_length=300, blank=True)
    # [{"item": "...", "ok": true, "note": "..."}] against the checklist.
    findings = models.JSONField(_("检查情况"), default=list, blank=True)
    summary = models.TextField(_("检查结论说明"), blank=True)
    result = models.CharField(_("检查结论"), max_length=8, choices=VisitResult.choices, blank=True)
    # Inspectors' photos and papers (purpose ``oversight.visit``, never shown to the managers).
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("现场照片及材料")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("明察暗访")
        verbose_name_plural = _("明察暗访")
        indexes = [
            models.Index(fields=["spot_check", "status"]),
            # The visits list's order, so a page is read from the index, not sorted from all.
            models.Index(fields=["status", "planned_on", "-id"], name="visit_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.collective} · {self.get_reason_display()}"


# Sanctions (警告提醒 → 调整星级 → 撤销) and rectification (整改) -------------------------------------


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("警告提醒")
    STAR_DOWN = "star_down", _("调整星级")
    REVOCATION = "revocation", _("撤销称号")


class Basis(models.TextChoices):
    """What a sanction or a rectification order rests on."""

    REVIEW_CASE = "review_case", _("年度复核")
    SPOT_CHECK = "spot_check", _("抽检走访")
    COMPLAINT = "complaint", _("群众投诉")
    PRESS = "press", _("媒体曝光")
    RECTIFICATION = "rectification", _("整改未通过")
    OTHER = "other", _("其他")


class RevocationCategory(models.TextChoices):
    """Why a title is revoked. The grave categories (``GRAVE``) revoke at once, whatever the
    ladder; the others follow it or a failed review or rectification."""

    LADDER = "ladder", _("降星后仍不合格")
    FAILED_REVIEW = "failed_review", _("年度复核不合格")
    FAILED_RECTIFICATION = "failed_rectification", _("逾期未整改或整改不合格")
    LAW_DISCIPLINE = "law_discipline", _("违法违纪")
    LIABILITY_ACCIDENT = "liability_accident", _("发生重大责任事故")
    PRESS_EXPOSURE = "press_exposure", _("经媒体曝光并查实")


GRAVE = frozenset(
    {
        RevocationCategory.LAW_DISCIPLINE,
        RevocationCategory.LIABILITY_ACCIDENT,
        RevocationCategory.PRESS_EXPOSURE,
    }
)


class SanctionStatus(models.TextChoices):
    PROPOSED = "proposed", _("待市级确认")
    IMPOSED = "imposed", _("已生效")
    WITHDRAWN = "withdrawn", _("已撤回")


SANCTION_TRANSITIONS = Transitions(
    SanctionStatus,
    {
        SanctionStatus.PROPOSED: {SanctionStatus.IMPOSED, SanctionStatus.WITHDRAWN},
        SanctionStatus.IMPOSED: set(),
        SanctionStatus.WITHDRAWN: set(),
    },
    refusal=_("处理当前状态为“%(from)s”，不能执行此操作。"),
)


class Sanction(models.Model):
    """One step of the ladder on a title, with its basis, reason and evidence. Proposed (by a
    body, or by the platform after a failed rectification) and imposed by the city, or imposed
    at once by the city. ``stars_before``/``stars_after`` record a star adjustment."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    title = models.ForeignKey(
        "collectives.Title", on_delete=models.PROTECT, related_name="sanctions"
    )
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("处理方式"), max_length=12, choices=SanctionKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=SanctionStatus.choices)
    basis = models.CharField(_("处理依据"), max_length=16, choices=Basis.choices)
    case = models.ForeignKey(
        ReviewCase, on_delete=models.PROTECT, related_name="sanctions", null=True, blank=True
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="sanctions", null=True, blank=True
    )
    complaint = models.ForeignKey(
        "supervision.Complaint",
        on_delete=models.PROTECT,
        related_name="sanctions",
        null=True,
        blank=True,
    )
    rectification = models.ForeignKey(
        "Rectification",
        on_delete=models.PROTECT,
        related_name="sanctions",
        null=True,
        blank=True,
    )
    basis_note = models.CharField(_("依据说明（如媒体报道出处）"), max_length=300, blank=True)
    category = models.CharField(
        _("撤销原因类别"), max_length=24, choices=RevocationCategory.choices, blank=True
    )
    reason = models.TextField(_("处理理由"))
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("佐证材料")
    )
    stars_before = models.PositiveSmallIntegerField(null=True, blank=True)
    stars_after = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("确认或撤回说明"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("处理")
        verbose_name_plural = _("处理")
        constraints = [
            models.CheckConstraint(
                name="revocation_has_category",
                condition=~Q(kind="revocation") | ~Q(category=""),
            )
        ]
        indexes = [models.Index(fields=["title", "status"])]

    def __str__(self) -> str:
        return f"{self.collective} · {self.get_kind_display()}"


class RectificationStatus(models.TextChoices):
    ORDERED = "ordered", _("整改中")
    REPORTED = "reported", _("待核查")
    PASSED = "passed", _("整改合格")
    FAILED = "failed", _("整改不合格")
    MISSED = "missed", _("逾期未报")


RECTIFICATION_TRANSITIONS = Transitions(
    RectificationStatus,
    {
        RectificationStatus.ORDERED: {RectificationStatus.REPORTED, RectificationStatus.MISSED},
        # A report may be revised until the body has verified it.
        RectificationStatus.REPORTED: {
            RectificationStatus.REPORTED,
            RectificationStatus.PASSED,
            RectificationStatus.FAILED,
        },
        RectificationStatus.PASSED: set(),
        RectificationStatus.FAILED: set(),
        # A report after the deadline is still taken (marked late); the revocation the miss
        # proposed waits for the city, which sees the report before it decides.
        RectificationStatus.MISSED: {RectificationStatus.REPORTED},
    },
    refusal=_("整改当前状态为“%(from)s”，不能执行此操作。"),
)


class Rectification(models.Model):
    """An order to fix what was found, by a deadline (default one month). The collective
    reports with evidence — after the deadline it is still accepted, marked late — and its
    body verifies. A failed or missed rectification proposes revocation."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    title = models.ForeignKey(
        "collectives.Title", on_delete=models.PROTECT, related_name="rectifications"
    )
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="rectifications"
    )
    basis = models.CharField(_("整改依据"), max_length=16, choices=Basis.choices)
    case = models.ForeignKey(
        ReviewCase, on_delete=models.PROTECT, related_name="rectifications", null=True, blank=True
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="rectifications", null=True, blank=True
    )
    complaint = models.ForeignKey(
        "supervision.Complaint",
        on_delete=models.PROTECT,
        related_name="rectifications",
        null=True,
        blank=True,
    )
    sanction = models.ForeignKey(
        Sanction, on_delete=models.PROTECT, related_name="rectifications", null=True, blank=True
    )
    requirements = models.TextField(_("整改要求"))
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.ORDERED,
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField(default=timezone.now)
    report = models.TextField(_("整改报告"), blank=True)
    # The collective's photos and documents with its report (kept across revisions).
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("整改佐证")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("逾期提交"), default=False)
    verification_note = models.TextField(_("核查意见"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ordered_at", "-id"]
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.collective} · {self.due_on}"

    def overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == RectificationStatus.ORDERED and today > self.due_on


# Exit (退出) --------------------------------------------------------------------------------------


class ExitKind(models.TextChoices):
    REVOKED = "revoked", _("撤销")
    FAILED_REVIEW = "failed_review", _("复核不合格")
    DISSOLVED = "dissolved", _("集体撤并解散")
    MERGED = "merged", _("集体合并")


# Exits that end a title as revoked (and so bar the collective from the next registration);
# dissolution and merger end it as expired.
REVOKING_EXITS = frozenset({ExitKind.REVOKED, ExitKind.FAILED_REVIEW})


class Exit(models.Model):
    """The end of a title, with its reason; one per title. Revoked and failed-review exits are
    listed on the year's public revocation notice. The plaque's recovery is recorded here."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    title = models.OneToOneField("collectives.Title", on_delete=models.PROTECT, related_name="exit")
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="exits"
    )
    kind = models.CharField(_("退出方式"), max_length=16, choices=ExitKind.choices)
    reason = models.TextField(_("退出原因"))
    on = models.DateField(_("退出日期"))
    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, related_name="exit", null=True, blank=True
    )
    case = models.ForeignKey(
        ReviewCase, on_delete=models.PROTECT, related_name="exits", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    plaque_recovered_on = models.DateField(_("牌匾收回日期"), null=True, blank=True)
    plaque_note = models.CharField(_("牌匾收回情况"), max_length=300, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("退出")
        verbose_name_plural = _("退出")
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self) -> str:
        return f"{self.collective} · {self.get_kind_display()}"

    @property
    def revoking(self) -> bool:
        return self.kind in REVOKING_EXITS
