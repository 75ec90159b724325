"""The two-year cycle (创建周期): phases and dates, quotas per managing body, registrations
(报备) with the body's preliminary review (初评), and the body's list submitted to the city.

States are ``TextChoices``; the allowed moves are the ``*_TRANSITIONS`` tables beside them
(``qnwmh.core.states.Transitions``), and only the services in ``services/`` change them. Nothing here is ever deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions


class Phase(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    REGISTRATION_OPEN = "registration_open", _("报备进行中")
    REGISTRATION_CLOSED = "registration_closed", _("报备已截止")
    CREATION = "creation", _("创建阶段")
    CERTIFICATION = "certification", _("评选认定")
    CLOSED = "closed", _("已结束")


# Phase order: a cycle moves one step forward; city admins may step back one phase with a reason
# (e.g. reopen registration) except out of CLOSED.
PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)
# What entering a phase does or refuses is registered in ``qnwmh.cycles.phases``.
PHASE_TRANSITIONS = Transitions(
    Phase,
    {
        Phase.DRAFT: {Phase.REGISTRATION_OPEN},
        Phase.REGISTRATION_OPEN: {Phase.REGISTRATION_CLOSED},
        Phase.REGISTRATION_CLOSED: {Phase.CREATION, Phase.REGISTRATION_OPEN},
        Phase.CREATION: {Phase.CERTIFICATION, Phase.REGISTRATION_CLOSED},
        Phase.CERTIFICATION: {Phase.CLOSED, Phase.CREATION},
        Phase.CLOSED: set(),
    },
    field="phase",
)


class Cycle(models.Model):
    """One numbered round (届次): registration in an odd year, certification in the next."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    session_no = models.PositiveSmallIntegerField(_("届次"), unique=True)
    registration_year = models.PositiveSmallIntegerField(_("报备年度"))
    certification_year = models.PositiveSmallIntegerField(_("认定年度"))
    phase = models.CharField(_("阶段"), max_length=24, choices=Phase.choices, default=Phase.DRAFT)

    registration_opens_on = models.DateField(_("报备开始日期"))
    registration_closes_on = models.DateField(_("报备截止日期"))
    creation_ends_on = models.DateField(_("创建阶段结束日期"))
    certification_starts_on = models.DateField(_("评选认定开始日期"))
    certification_ends_on = models.DateField(_("评选认定结束日期"))

    # A frozen copy of ProgrammeRules.as_dict() taken when the cycle opens; later edits of the
    # programme rules do not rewrite this cycle's history.
    rules_snapshot = models.JSONField(_("冻结的创建规则"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("开启时间"), null=True, blank=True)
    quotas_published_at = models.DateTimeField(_("名额公布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-session_no"]
        verbose_name = _("创建周期")
        verbose_name_plural = _("创建周期")
        constraints = [
            models.CheckConstraint(
                name="cycle_years_odd_then_even",
                condition=Q(certification_year=models.F("registration_year") + 1),
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("第%(no)s届（%(reg)s—%(cert)s）")
            % {
                "no": self.session_no,
                "reg": self.registration_year,
                "cert": self.certification_year,
            }
        )

    def rule(self, name: str, default: Any = None) -> Any:
        """A number from the frozen rules (the live programme rules before the cycle opens)."""
        if self.rules_snapshot and name in self.rules_snapshot:
            return self.rules_snapshot[name]
        from qnwmh.programme.models import ProgrammeRules

        return getattr(ProgrammeRules.current(), name, default)

    @property
    def reference_date(self) -> Any:
        """Ages and eligibility are measured at the registration deadline."""
        return self.registration_closes_on

    @property
    def is_registration_open(self) -> bool:
        return self.phase == Phase.REGISTRATION_OPEN


class Quota(models.Model):
    """A managing body's registration quota (名额) in one cycle, computed from a base (基数)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="quotas")
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="quotas",
        verbose_name=_("组织管理机构"),
    )
    base_kind = models.CharField(_("基数类型"), max_length=20)
    base_value = models.PositiveIntegerField(_("基数"), default=0)
    # Youth headcount entered by the body itself (used when the base is youth headcount).
    headcount_entered = models.PositiveIntegerField(_("填报青年人数"), null=True, blank=True)
    computed = models.PositiveIntegerField(_("计算名额"), default=0)
    override = models.PositiveIntegerField(_("调整后名额"), null=True, blank=True)
    override_reason = models.CharField(_("调整原因"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "body__path"]
        verbose_name = _("名额")
        verbose_name_plural = _("名额")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "body"], name="one_quota_per_body_and_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.body} · {self.final}"

    @property
    def final(self) -> int:
        return self.override if self.override is not None else self.computed


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待初评")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("初评未通过")
    ACCEPTED = "accepted", _("初评通过")
    FILED = "filed", _("已备案")
    WITHDRAWN = "withdrawn", _("已撤回")


# Registrations that count against the body's quota and toward the 2:1 cap.
COUNTED_STATUSES: tuple[str, ...] = (RegistrationStatus.ACCEPTED, RegistrationStatus.FILED)
# Registrations that are still alive (a collective may hold only one per cycle).
LIVE_STATUSES: tuple[str, ...] = (
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.RETURNED,
    RegistrationStatus.ACCEPTED,
    RegistrationStatus.FILED,
)
REGISTRATION_TRANSITIONS = Transitions(
    RegistrationStatus,
    {
        RegistrationStatus.SUBMITTED: {
            RegistrationStatus.ACCEPTED,
            RegistrationStatus.RETURNED,
            RegistrationStatus.REJECTED,
            RegistrationStatus.WITHDRAWN,
        },
        RegistrationStatus.RETURNED: {RegistrationStatus.SUBMITTED, RegistrationStatus.WITHDRAWN},
        # An accepted registration becomes filed when the city accepts the body's list; while
        # the list is still with the body, the body may return it for changes; it may be
        # withdrawn.
        RegistrationStatus.ACCEPTED: {
            RegistrationStatus.FILED,
            RegistrationStatus.RETURNED,
            RegistrationStatus.WITHDRAWN,
        },
        RegistrationStatus.FILED: {RegistrationStatus.WITHDRAWN},
        RegistrationStatus.REJECTED: set(),
        RegistrationStatus.WITHDRAWN: set(),
    },
    refusal=_("报备当前状态为“%(from)s”，不能执行此操作。"),
)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def counted(self, cycle: Cycle) -> RegistrationQuerySet:
        """The cycle's registrations that hold a place (filed or accepted)."""
        return self.filter(cycle=cycle, status__in=COUNTED_STATUSES)


class Registration(models.Model):
    """A collective's filing (报备) in a cycle. Numbered; withdrawn and returned ones stay."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="registrations")
    number = models.CharField(_("报备编号"), max_length=20, unique=True)
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("集体"),
    )
    # Copied from the collective at filing so the cycle's figures do not move when it changes.
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("组织管理机构"),
    )
    town = models.ForeignKey(
        "orgs.Town", on_delete=models.PROTECT, related_name="registrations", verbose_name=_("镇区")
    )
    ownership = models.CharField(_("单位性质"), max_length=24)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.SUBMITTED,
    )

    plan_summary = models.TextField(_("创建计划摘要"))
    leader_name = models.CharField(_("号长"), max_length=50)
    leader_phone = models.CharField(_("号长手机号"), max_length=20, blank=True)
    leading_group = models.TextField(_("创建领导小组成员"), help_text=_("每行一人：姓名 职务"))
    pledge = models.TextField(_("创建承诺"))
    special_recommendation = models.BooleanField(_("特别推荐"), default=False)
    rank = models.PositiveIntegerField(_("排序"), null=True, blank=True)

    eligibility = models.CharField(_("资格"), max_length=8, blank=True)
    eligibility_checks = models.JSONField(_("资格核查结果"), default=list, blank=True)

    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("报备时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("初评时间"), null=True, blank=True)
    review_reason = models.TextField(_("初评意见"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "body__path", "rank", "number"]
        verbose_name = _("报备")
        verbose_name_plural = _("报备")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "collective"],
                condition=Q(status__in=["submitted", "returned", "accepted", "filed"]),
                name="one_live_registration_per_cycle",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "body", "status"]),
            models.Index(fields=["cycle", "town", "status"]),
            models.Index(fields=["cycle", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.collective}"

    @property
    def counts(self) -> bool:
        return self.status in COUNTED_STATUSES


class SubmissionStatus(models.TextChoices):
    OPEN = "open", _("初评中")
    SUBMITTED = "submitted", _("已报送团市委")
    ACCEPTED = "accepted", _("团市委已接收")
    RETURNED = "returned", _("团市委退回")


SUBMISSION_TRANSITIONS = Transitions(
    SubmissionStatus,
    {
        SubmissionStatus.OPEN: {SubmissionStatus.SUBMITTED},
        SubmissionStatus.RETURNED: {SubmissionStatus.SUBMITTED},
        SubmissionStatus.SUBMITTED: {SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED},
        SubmissionStatus.ACCEPTED: set(),
    },
    refusal=_("名单当前状态为“%(from)s”，不能执行此操作。"),
)


class BodySubmission(models.Model):
    """A managing body's accepted list, submitted to the city (推报团市委) and decided there."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="submissions")
    body = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.OPEN
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason = models.TextField(_("退回原因"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "body__path"]
        verbose_name = _("报送名单")
        verbose_name_plural = _("报送名单")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body"], name="one_submission_per_body_and_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.body} · {self.get_status_display()}"


class NonPublicWarning(models.Model):
    """Recorded when registration closes: a town with fewer non-public collectives registered
    than the rules ask for (a warning to city admins, not a block)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="nonpublic_warnings")
    town = models.ForeignKey("orgs.Town", on_delete=models.PROTECT, related_name="+")
    non_public_count = models.PositiveIntegerField(_("非公集体数"))
    required = models.PositiveIntegerField(_("要求下限"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "town__sort_order"]
        verbose_name = _("非公集体预警")
        verbose_name_plural = _("非公集体预警")

    def __str__(self) -> str:
        return f"{self.cycle} · {self.town}"


class RegistrationCount(models.Model):
    """How many of a cycle's registrations share a body, town, ownership, status and special
    recommendation: the figures of the cycle page, the quota table, the town view and the
    office home read these few rows instead of counting a million-collective city's
    registrations on every view.

    Derived: ``qnwmh.cycles.counts`` recounts a body's rows in the transaction of every write
    to one of its registrations (model signals, and the one bulk status change);
    ``manage.py rebuild_registration_counts`` recomputes them all (after bulk loads). No
    database foreign keys: the rows are rebuilt from the registrations, never the reverse."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    body = models.ForeignKey(
        "orgs.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    town = models.ForeignKey(
        "orgs.Town", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    ownership = models.CharField(max_length=24)
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    special = models.BooleanField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "body", "town", "ownership", "status", "special"],
                name="one_registration_count_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} · {self.body_id} · {self.status}: {self.n}"
