"""Certification II (评定与授牌): from a round's scored applications to titles.

The league-support figures (团建工作) a body enters; the frozen shortlist (拟认定名单) with
every ranked application as an entry, above or below the cut; inspection (考察) of the
shortlisted; the public notice (公示) and its objections (异议); the decision (评定) that
creates the titles; certificates (证书) with a number anyone can verify; and nominations
upward (推报) to the provincial round.

States are ``TextChoices`` with a ``Transitions`` table beside them; only the services change
them. Nothing here is ever deleted. The weights and caps a shortlist used are stored on it, so
its ranking can be recomputed from what was frozen.
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
from qnwmh.supervision.models import TRACKING_CODE_LENGTH, new_tracking_code

# League support (团建工作) ---------------------------------------------------------------------


class LeagueSupport(models.Model):
    """The managing body's figures on a collective's support for league work, with a score
    out of 100 and the reason for it. One per application; changes are audited."""

    application = models.OneToOneField(
        "certification.Application", on_delete=models.PROTECT, related_name="league_support"
    )
    score = models.DecimalField(_("团建工作得分"), max_digits=5, decimal_places=2)
    # e.g. league members, dues paid on time, league activities held (the form's fields).
    figures = models.JSONField(_("团建工作情况"), default=dict, blank=True)
    reason = models.TextField(_("评分理由"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("团建工作支持情况")
        verbose_name_plural = _("团建工作支持情况")
        constraints = [
            models.CheckConstraint(
                name="league_support_0_to_100", condition=Q(score__gte=0, score__lte=100)
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.score}"


# The shortlist --------------------------------------------------------------------------------


class Shortlist(models.Model):
    """The ranking of a round, frozen by one audited act of city staff, with the weights,
    normalisation, tie-break and caps it used (``parameters``, ``caps``)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    round = models.OneToOneField(
        "certification.CertificationRound",
        on_delete=models.PROTECT,
        related_name="shortlist",
        verbose_name=_("评选认定"),
    )
    # {"league_support_weight_pct", "appraisal_weight_pct", "appraisal_penalty_per_upheld",
    #  "area_normalisation", "tie_break", "knowledge_pass_score", "ratio"}
    parameters = models.JSONField(_("排名参数"), default=dict)
    # {"city": {"accepted", "cap", "quota_total", "sum_of_body_caps"},
    #  "bodies": {"<body id>": {"quota", "accepted", "cap", "already", "cut"}}}
    caps = models.JSONField(_("名额与比例上限"), default=dict)
    note = models.TextField(_("说明"), blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(_("确定时间"), default=timezone.now)

    class Meta:
        ordering = ["-frozen_at"]
        verbose_name = _("拟认定名单")
        verbose_name_plural = _("拟认定名单")

    def __str__(self) -> str:
        return str(_("%(round)s拟认定名单") % {"round": self.round})


class EntryStatus(models.TextChoices):
    LISTED = "listed", _("拟认定")
    RESERVE = "reserve", _("候补")
    EXCLUDED = "excluded", _("不具备条件")  # test not passed or no combined score
    REMOVED = "removed", _("已移出")
    DECIDED = "decided", _("已认定")


class RemovalKind(models.TextChoices):
    INSPECTION = "inspection", _("考察未通过")
    OBJECTION = "objection", _("异议属实")
    WITHDRAWN = "withdrawn", _("主动放弃")
    AUDIT = "audit", _("审核未通过")


# Listed entries are inspected, noticed and decided; a removed one frees its body's place,
# which a reserve takes only by a deliberate act of city staff (move up).
ENTRY_TRANSITIONS = Transitions(
    EntryStatus,
    {
        EntryStatus.LISTED: {EntryStatus.REMOVED, EntryStatus.DECIDED},
        EntryStatus.RESERVE: {EntryStatus.LISTED},
        EntryStatus.EXCLUDED: set(),
        EntryStatus.REMOVED: set(),
        EntryStatus.DECIDED: set(),
    },
    refusal=_("名单中该集体当前为“%(from)s”，不能转为“%(to)s”。"),
)


class ShortlistEntry(models.Model):
    """One ranked application of a frozen shortlist: its inputs, final score and positions."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.PROTECT, related_name="entries")
    application = models.OneToOneField(
        "certification.Application", on_delete=models.PROTECT, related_name="shortlist_entry"
    )
    # Copied from the application so lists filter without joining it.
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="shortlist_entries",
        verbose_name=_("集体"),
    )
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织管理机构"),
    )
    town = models.ForeignKey(
        "orgs.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("镇区")
    )
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices)
    final_score = models.DecimalField(
        _("最终得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    body_position = models.PositiveIntegerField(_("本单位排名"), null=True, blank=True)
    city_position = models.PositiveIntegerField(_("全市排名"), null=True, blank=True)
    # What the ranking read: {"combined", "site", "defence", "area", "test_score",
    # "test_passed", "league_support", "ratings", "rating_avg", "upheld", "appraisal",
    # "adjusted"} — enough to recompute the ranking from the shortlist alone.
    inputs = models.JSONField(_("排名依据"), default=dict)
    special_recommendation = models.BooleanField(_("特别推荐"), default=False)
    # Already holds an active city title from an earlier cycle: a decision adds a star.
    star_review = models.BooleanField(_("星级复核"), default=False)
    exclusion_reason = models.CharField(_("不具备条件原因"), max_length=200, blank=True)

    removal_kind = models.CharField(
        _("移出原因类别"), max_length=12, choices=RemovalKind.choices, blank=True
    )
    removal_reason = models.TextField(_("移出原因"), blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    moved_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    moved_up_at = models.DateTimeField(_("递补时间"), null=True, blank=True)
    moved_up_reason = models.TextField(_("递补理由"), blank=True)

    decision = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("认定决定"),
    )
    title = models.ForeignKey(
        "collectives.Title",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("称号"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shortlist", "city_position", "id"]
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        indexes = [
            models.Index(fields=["shortlist", "status", "city_position"]),
            models.Index(fields=["shortlist", "body", "body_position"]),
        ]

    def __str__(self) -> str:
        return f"{self.collective} · {self.get_status_display()}"


# Inspection (考察) ----------------------------------------------------------------------------


class InspectionOutcome(models.TextChoices):
    PASSED = "passed", _("考察通过")
    FAILED = "failed", _("考察未通过")


class Inspection(models.Model):
    """The city's inspection visit to a shortlisted collective. A fail removes the entry."""

    entry = models.OneToOneField(
        ShortlistEntry, on_delete=models.PROTECT, related_name="inspection"
    )
    visited_on = models.DateField(_("考察日期"))
    inspectors = models.CharField(_("考察人员"), max_length=300)
    findings = models.TextField(_("考察情况"))
    outcome = models.CharField(_("考察结论"), max_length=8, choices=InspectionOutcome.choices)
    reason = models.TextField(_("结论理由"), blank=True)
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("佐证材料")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("考察")
        verbose_name_plural = _("考察")

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_outcome_display()}"


# Public notice (公示) and objections (异议) ------------------------------------------------------


class PublicNotice(models.Model):
    """A public notice of proposed collectives. It opens and closes on its own by its dates
    (inclusive, local time); ended notices stay on the public site as history. A reserve moved
    up after a notice opened goes on a supplementary notice of its own."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    shortlist = models.ForeignKey(Shortlist, on_delete=models.PROTECT, related_name="notices")
    heading = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("公示说明"))
    opens_on = models.DateField(_("公示开始日期"))
    closes_on = models.DateField(_("公示结束日期"))
    contact = models.CharField(_("受理异议联系方式"), max_length=200)
    supplementary = models.BooleanField(_("补充公示"), default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(
                name="notice_closes_after_it_opens",
                condition=Q(closes_on__gte=models.F("opens_on")),
            )
        ]

    def __str__(self) -> str:
        return self.heading

    def state(self, today: datetime.date | None = None) -> str:
        """ "scheduled", "open" or "ended" on ``today`` (local date)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "scheduled"
        return "open" if today <= self.closes_on else "ended"

    @property
    def is_open(self) -> bool:
        return self.state() == "open"


class NoticeItem(models.Model):
    """A collective on a notice, with the summary the public reads (fixed when published)."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="items")
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.PROTECT, related_name="notice_items")
    position = models.PositiveIntegerField(_("序号"))
    summary = models.TextField(_("事迹简介"))

    class Meta:
        ordering = ["notice", "position"]
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "entry"], name="one_item_per_entry_and_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.position}"


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    HANDLING = "handling", _("核查中")
    DECIDED = "decided", _("已办结")


OBJECTION_TRANSITIONS = Transitions(
    ObjectionStatus,
    {
        ObjectionStatus.RECEIVED: {ObjectionStatus.HANDLING, ObjectionStatus.DECIDED},
        ObjectionStatus.HANDLING: {ObjectionStatus.DECIDED},
        ObjectionStatus.DECIDED: set(),
    },
    refusal=_("异议当前为“%(from)s”，不能转为“%(to)s”。"),
)


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议属实")
    NOT_UPHELD = "not_upheld", _("异议不属实")


class Objection(models.Model):
    """An objection (异议) to a collective on an open notice, by a named contact. ``code`` is
    its tracking code; the outcome and its public reason are published without the contact."""

    code = models.CharField(
        max_length=TRACKING_CODE_LENGTH, unique=True, default=new_tracking_code, editable=False
    )
    item = models.ForeignKey(NoticeItem, on_delete=models.PROTECT, related_name="objections")
    contact_name = models.CharField(_("联系人姓名"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    contact_unit = models.CharField(_("工作单位或住址"), max_length=100, blank=True)
    text = models.TextField(_("异议内容"), max_length=3000)
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办人"),
    )
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    due_on = models.DateField(_("办理期限"))
    findings = models.TextField(_("核查情况"), blank=True)  # internal
    outcome = models.CharField(
        _("核查结论"), max_length=12, choices=ObjectionOutcome.choices, blank=True
    )
    public_reason = models.TextField(_("公开答复"), blank=True)  # published, no personal data
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("佐证材料")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{_('异议')} {self.code[:6]}…"


# Decision (评定) and certificates ----------------------------------------------------------------


class Decision(models.Model):
    """The city's decision (认定决定) on shortlisted entries, under a document number. Each
    decided entry points at it and at the title it created or starred."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    shortlist = models.ForeignKey(Shortlist, on_delete=models.PROTECT, related_name="decisions")
    document_no = models.CharField(_("文号"), max_length=60, unique=True)
    decided_on = models.DateField(_("决定日期"))
    audit_note = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("认定决定")
        verbose_name_plural = _("认定决定")

    def __str__(self) -> str:
        return self.document_no


class Certificate(models.Model):
    """A printed certificate (证书) for a title, numbered for verification. A title whose stars
    change gets a new certificate; the old one is marked superseded, never deleted. Whether a
    certificate is valid follows its title (active or ended)."""

    number = models.CharField(_("证书编号"), max_length=24, unique=True)
    title = models.ForeignKey(
        "collectives.Title",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("称号"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("认定决定"),
    )
    stars = models.PositiveSmallIntegerField(_("星级"))
    issued_on = models.DateField(_("发证日期"))
    superseded_at = models.DateTimeField(_("换发时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_certificate_per_title",
            )
        ]

    def __str__(self) -> str:
        return self.number


# Nomination upward (推报) ------------------------------------------------------------------------


class NominationRound(models.Model):
    """A provincial round the city nominates to, with the quota the province gave."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=200)
    quota = models.PositiveSmallIntegerField(_("推报名额"))
    deadline = models.DateField(_("报送截止日期"))
    basis = models.CharField(_("依据文件"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("推报批次")
        verbose_name_plural = _("推报批次")

    def __str__(self) -> str:
        return self.name


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推报")
    GRANTED = "granted", _("已获省级称号")
    NOT_GRANTED = "not_granted", _("未获省级称号")
    WITHDRAWN = "withdrawn", _("已撤回")


NOMINATION_TRANSITIONS = Transitions(
    NominationStatus,
    {
        NominationStatus.NOMINATED: {
            NominationStatus.GRANTED,
            NominationStatus.NOT_GRANTED,
            NominationStatus.WITHDRAWN,
        },
        NominationStatus.GRANTED: set(),
        NominationStatus.NOT_GRANTED: set(),
        NominationStatus.WITHDRAWN: set(),
    },
    refusal=_("推报当前为“%(from)s”，不能转为“%(to)s”。"),
)


class Nomination(models.Model):
    """A city title sent up to a provincial round; granted, it records the provincial title
    (the city title stays, and is exempt from the city's re-review while it does)."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    round = models.ForeignKey(NominationRound, on_delete=models.PROTECT, related_name="nominations")
    title = models.ForeignKey(
        "collectives.Title",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("市级称号"),
    )
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("集体"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    position = models.PositiveSmallIntegerField(_("推报排序"))
    recommendation = models.TextField(_("推荐意见"))
    provincial_title = models.ForeignKey(
        "collectives.Title",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("省级称号"),
    )
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "position", "id"]
        verbose_name = _("推报")
        verbose_name_plural = _("推报")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "collective"],
                condition=~Q(status="withdrawn"),
                name="one_live_nomination_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.collective} · {self.round}"
