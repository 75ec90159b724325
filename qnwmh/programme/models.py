"""The programme's rules as data. Every number the policy names lives here, with the
defaults of shared/domain.md §4; city admins edit them, and each cycle freezes a copy."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def pct(default: int, label: StrOrPromise) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)]
    )


class QuotaBase(models.TextChoices):
    TITLES_HELD = "titles_held", _("已获称号集体数")
    COLLECTIVES = "collectives", _("所辖集体数")
    YOUTH_HEADCOUNT = "youth_headcount", _("青年人数（由基层团委填报）")


class Dimension(models.TextChoices):
    """The policy's seven scoring dimensions (评分维度), in the policy's order."""

    BASIC_BUILD = "basic_build", _("基础建设")
    SYSTEMS = "systems", _("制度建设")
    RESULTS = "results", _("工作业绩")
    FEATURES = "features", _("创建特色")
    OUTCOMES = "outcomes", _("创建成效")
    PUBLIC_APPRAISAL = "public_appraisal", _("社会评价")
    LEAGUE_BUILDING = "league_building", _("团建工作")


def default_rubric() -> list[dict[str, Any]]:
    """Domain default 6: every dimension scored out of 100, equal weights."""
    return [{"dimension": d.value, "max_points": 100, "weight": 1} for d in Dimension]


class Aggregation(models.TextChoices):
    MEAN = "mean", _("算术平均")
    TRIMMED_MEAN = "trimmed_mean", _("去掉最高最低分后平均")
    ZSCORE = "zscore", _("按评委标准化（Z 分数）后平均")


class AreaNormalisation(models.TextChoices):
    """How results of different review areas (片区) are made comparable before ranking."""

    NONE = "none", _("不调整")
    PER_AREA = "per_area", _("按片区标准化（各片区均值、离散度对齐全市）")


class TieBreak(models.TextChoices):
    """Which scores decide between equal final scores, in order (domain default 6)."""

    TEST_DEFENCE = "test,defence", _("先比知识测试成绩，再比集中答辩成绩")
    DEFENCE_TEST = "defence,test", _("先比集中答辩成绩，再比知识测试成绩")
    SITE_TEST = "site,test", _("先比现场考核成绩，再比知识测试成绩")


class KnowledgeTaker(models.TextChoices):
    LEADER = "leader", _("号长")
    MEMBERS = "members", _("集体指定成员")


class ProgrammeRules(models.Model):
    name = models.CharField(_("名称"), max_length=100, default="中山市青年文明号")

    # Membership eligibility (Guangdong figures).
    members_min = models.PositiveSmallIntegerField(_("成员人数下限"), default=6)
    members_max = models.PositiveSmallIntegerField(_("成员人数上限"), default=200)
    youth_age_max = models.PositiveSmallIntegerField(_("青年年龄上限（周岁）"), default=35)
    youth_share_min_pct = pct(50, _("青年成员比例下限（%）"))
    leader_age_max = models.PositiveSmallIntegerField(_("号长年龄上限（周岁）"), default=40)
    nationals_share_min_pct = pct(60, _("中国籍成员比例下限（%）"))
    leader_must_be_national = models.BooleanField(_("号长须为中国籍"), default=True)
    min_member_age = models.PositiveSmallIntegerField(_("成员最低年龄（周岁）"), default=16)
    age_reference_date = models.DateField(
        _("年龄计算基准日"),
        null=True,
        blank=True,
        help_text=_("留空则按当天计算；周期开启后以报备截止日为准。"),
    )
    near_margin_members = models.PositiveSmallIntegerField(_("人数临界提醒幅度（人）"), default=1)
    near_margin_pct = models.PositiveSmallIntegerField(_("比例临界提醒幅度（百分点）"), default=5)
    near_margin_years = models.PositiveSmallIntegerField(_("年龄临界提醒幅度（岁）"), default=1)

    # Cycle, quotas and the 2:1 ratio.
    registration_ratio = models.PositiveSmallIntegerField(
        _("报备与认定比例（N:1）"), default=2, validators=[MinValueValidator(1)]
    )
    quota_k = models.DecimalField(
        _("名额系数 k"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    quota_base = models.CharField(
        _("名额基数"), max_length=20, choices=QuotaBase.choices, default=QuotaBase.TITLES_HELD
    )
    nonpublic_min_per_town = models.PositiveSmallIntegerField(
        _("每个镇区非公经济组织创建集体下限"), default=1
    )
    revocation_bar_cycles = models.PositiveSmallIntegerField(
        _("被撤销后禁止报备的周期数"), default=1
    )

    # Creation records.
    required_activities_per_cycle = models.PositiveSmallIntegerField(
        _("每周期必须开展的练兵/培训/开放周次数"), default=1
    )
    open_weeks_min_per_month = models.PositiveSmallIntegerField(_("每月开放周下限"), default=1)
    open_weeks_max_per_month = models.PositiveSmallIntegerField(_("每月开放周上限"), default=2)
    evidence_max_file_mb = models.PositiveIntegerField(_("单个佐证文件上限（兆字节）"), default=50)
    evidence_max_collective_mb = models.PositiveIntegerField(
        _("每个集体佐证文件总量上限（兆字节）"), default=2000
    )

    # Certification.
    knowledge_pass_score = models.PositiveSmallIntegerField(_("知识测试合格分"), default=60)
    knowledge_retakes = models.PositiveSmallIntegerField(_("知识测试补考次数"), default=1)
    knowledge_minutes = models.PositiveSmallIntegerField(
        _("知识测试时长（分钟）"), default=30, validators=[MinValueValidator(1)]
    )
    knowledge_taker = models.CharField(
        _("知识测试参加人"),
        max_length=10,
        choices=KnowledgeTaker.choices,
        default=KnowledgeTaker.LEADER,
    )
    rubric = models.JSONField(
        _("评分细则"),
        default=default_rubric,
        help_text=_("每个维度的满分与权重。"),
    )
    site_weight_pct = pct(50, _("现场考核成绩所占比例（%）；其余为集中答辩"))
    score_aggregation = models.CharField(
        _("评委分数汇总方式"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    trim_each_side = models.PositiveSmallIntegerField(_("去掉最高分、最低分各几个"), default=1)
    divergence_max_points = models.PositiveSmallIntegerField(
        _("评委总分差距预警线（分）"), default=20
    )
    comment_required_below_pct = pct(60, _("单项得分低于满分此比例时须填写评语（%）"))
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("每份申报的评委人数"), default=3, validators=[MinValueValidator(1)]
    )
    conflict_same_town = models.BooleanField(_("评委与集体同镇区视为利益冲突"), default=False)
    # Ranking (Certification II): the final score is the combined review score, with these
    # shares given to league support (团建工作, entered by the body) and public appraisal
    # (ratings and upheld complaints of the cycle); the rest stays with the review score.
    league_support_weight_pct = pct(10, _("团建工作支持情况所占比例（%）"))
    appraisal_weight_pct = pct(10, _("社会评价所占比例（%）"))
    appraisal_penalty_per_upheld = models.PositiveSmallIntegerField(
        _("每件属实投诉扣社会评价分"), default=10, validators=[MaxValueValidator(100)]
    )
    area_normalisation = models.CharField(
        _("片区成绩可比处理"),
        max_length=10,
        choices=AreaNormalisation.choices,
        default=AreaNormalisation.NONE,
    )
    tie_break = models.CharField(
        _("同分排序规则"), max_length=16, choices=TieBreak.choices, default=TieBreak.TEST_DEFENCE
    )
    notice_days = models.PositiveSmallIntegerField(
        _("公示期（自然日）"), default=7, validators=[MinValueValidator(1)]
    )
    objection_days = models.PositiveSmallIntegerField(
        _("异议办理时限（自然日）"), default=5, validators=[MinValueValidator(1)]
    )
    nomination_min_title_years = models.PositiveSmallIntegerField(
        _("推报上级前须持有市级称号年数"), default=1
    )

    # Oversight and supervision.
    spot_check_pct = pct(20, _("抽检比例（%）"))
    rectification_months = models.PositiveSmallIntegerField(_("整改期限（月）"), default=1)
    complaint_ack_days = models.PositiveSmallIntegerField(_("投诉受理时限（工作日）"), default=3)
    complaint_finish_days = models.PositiveSmallIntegerField(
        _("投诉办结时限（工作日）"), default=15
    )
    complaint_retention_days = models.PositiveIntegerField(
        _("投诉人信息保留期（办结后天数）"), default=730
    )
    supervision_phone = models.CharField(_("全市监督电话"), max_length=30, default="0760-88318315")

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("创建规则")
        verbose_name_plural = _("创建规则")

    def __str__(self) -> str:
        return str(self.name)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.members_min > self.members_max:
            raise ValidationError({"members_max": _("成员人数上限不能小于下限。")})
        if self.open_weeks_min_per_month > self.open_weeks_max_per_month:
            raise ValidationError({"open_weeks_max_per_month": _("每月开放周上限不能小于下限。")})
        if self.league_support_weight_pct + self.appraisal_weight_pct > 100:
            raise ValidationError(
                {"appraisal_weight_pct": _("团建工作与社会评价所占比例之和不能超过 100%。")}
            )
        problem = rubric_problem(self.rubric)
        if problem:
            raise ValidationError({"rubric": problem})

    def as_dict(self) -> dict[str, Any]:
        """The frozen copy a cycle keeps (JSON-safe)."""
        from qnwmh.audit.services import snapshot

        data = snapshot(self)
        data.pop("id", None)
        data.pop("updated_at", None)
        return data

    @classmethod
    def current(cls) -> ProgrammeRules:
        rules = cls.objects.order_by("pk").first()
        if rules is None:
            rules = cls.objects.create()
        return rules

    @classmethod
    def editable_fields(cls) -> list[str]:
        return [f.name for f in cls._meta.concrete_fields if f.name not in ("id", "updated_at")]


def rubric_problem(rubric: Any) -> StrOrPromise | None:
    """Why a rubric cannot be used, or None: one entry per dimension, positive points, weights
    not negative and not all zero."""
    if not isinstance(rubric, list) or not all(isinstance(row, dict) for row in rubric):
        return _("评分细则格式不正确。")
    dims = [row.get("dimension") for row in rubric]
    if sorted(map(str, dims)) != sorted(Dimension.values):
        return _("评分细则须且只能包含七个评分维度各一项。")
    for row in rubric:
        points, weight = row.get("max_points"), row.get("weight")
        if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
            return _("每个维度的满分须为正整数。")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            return _("每个维度的权重不能为负数。")
    if not any(row["weight"] for row in rubric):
        return _("权重不能全为零。")
    return None
