"""Public supervision (监督): complaints, suggestions and praise filed through a collective's QR
page or entered by staff, ratings of a collective's service, the holiday calendar the
working-day deadlines use, and the database counters behind the public rate limit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions

TRACKING_CODE_LENGTH = 16  # 31^16 ≈ 7×10^23: not guessable, still typeable from a note


def new_tracking_code() -> str:
    return new_code(TRACKING_CODE_LENGTH)


FILER_SECRET_LENGTH = 12  # 31^12 ≈ 2^59: far beyond guessing, still typeable from a note
_SECRET_SALT = "qnwmh.supervision.filer_secret"
_ADDRESS_SALT = "qnwmh.supervision.rating_address"


def new_filer_secret() -> str:
    return new_code(FILER_SECRET_LENGTH)


def _hmac(salt: str, value: str, key: str | None = None) -> str:
    return salted_hmac(salt, value, secret=key, algorithm="sha256").hexdigest()


def hash_filer_secret(code: str, secret: str, key: str | None = None) -> str:
    """HMAC-SHA256 of the secret (bound to the complaint's code), keyed with SECRET_KEY.

    The secret is random and long (≈59 bits), so a slow password hash would add nothing but
    cost on an anonymous page; the key means a copy of the database alone cannot test guesses."""
    return "hmac-sha256$" + _hmac(_SECRET_SALT, f"{code}|{secret.strip().upper()}", key)


def rating_address(ip: str | None, day: object) -> str:
    """The rater's address for the once-per-day bound, keyed and mixed with the day: equal
    within a day, not reversible to the address, not linkable across days."""
    return _hmac(_ADDRESS_SALT, f"{ip or '-'}|{day}")


class Holiday(models.Model):
    """A public holiday (skipped by deadlines) or a make-up working day (调休, counted even
    on a weekend). Deactivated rather than deleted."""

    date = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_workday = models.BooleanField(_("调休上班日"), default=False)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class Category(models.TextChoices):
    ATTITUDE = "attitude", _("服务态度")
    EFFICIENCY = "efficiency", _("办事效率")
    DISCIPLINE = "discipline", _("工作纪律")
    PLEDGE = "pledge", _("未履行服务承诺")
    ENVIRONMENT = "environment", _("服务环境与设施")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    WEB = "web", _("网上（扫码）")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    API = "api", _("其他平台接入")


class Status(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACKNOWLEDGED = "acknowledged", _("已受理")
    INVESTIGATING = "investigating", _("调查中")
    RECTIFICATION = "rectification_ordered", _("已责令整改")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    NOT_SUBSTANTIATED = "not_substantiated", _("经查不属实")
    DUPLICATE = "duplicate", _("重复件")


OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.RECTIFICATION)
FINISHED_STATUSES = (Status.CLOSED, Status.NOT_SUBSTANTIATED, Status.DUPLICATE)

# What may be done to a complaint in which state: named actions, because the same target is
# reached from different states depending on who acts (staff close a replied complaint; the
# filer's verdict also closes one found not substantiated). ``assign`` keeps the state.
COMPLAINT_TRANSITIONS = Transitions(
    Status,
    actions={
        "acknowledge": ({Status.RECEIVED}, Status.ACKNOWLEDGED),
        "assign": (set(OPEN_STATUSES), None),
        "investigate": ({Status.ACKNOWLEDGED}, Status.INVESTIGATING),
        "order_rectification": ({Status.INVESTIGATING}, Status.RECTIFICATION),
        "reply": ({Status.INVESTIGATING, Status.RECTIFICATION}, Status.REPLIED),
        "not_substantiated": (
            {Status.ACKNOWLEDGED, Status.INVESTIGATING},
            Status.NOT_SUBSTANTIATED,
        ),
        "mark_duplicate": (
            {Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING},
            Status.DUPLICATE,
        ),
        "close": ({Status.REPLIED}, Status.CLOSED),
        # The filer's verdict on the answer: satisfied closes it, unsatisfied reopens it for
        # review by the city.
        "filer_satisfied": ({Status.REPLIED, Status.NOT_SUBSTANTIATED}, Status.CLOSED),
        "filer_unsatisfied": ({Status.REPLIED, Status.NOT_SUBSTANTIATED}, Status.INVESTIGATING),
    },
    refusal=_("当前状态为“%(from)s”，不能进行此操作。"),
)


# Deadlines: whether a step was done in time ------------------------------------------------
#
# A complaint's deadlines are its own ``ack_due`` and ``finish_due``, set in working days from
# receipt (and ``finish_due`` again on reopening) by the holiday calendar (``workdays``). So
# "in time" is never a count of days here: a step is on time when it was done on or before its
# due date (a local date). The list's filters, the Excel export, the figures page and the
# dashboard all read these conditions, so "on time" means one thing everywhere.
#
# Acknowledged: ``acknowledged_at``, or for a complaint closed as a duplicate straight from
# "received" (its only answer) ``closed_at``. Finished: answered or closed (the reply stops
# the clock, as it stops "overdue"), at ``replied_at`` or else ``closed_at``. A step not yet
# done counts as late only once its due date has passed; before that it is neither.


def ack_overdue_q(today: object) -> Q:
    """Not acknowledged and past the acknowledgement deadline."""
    return Q(status=Status.RECEIVED, ack_due__lt=today)


def finish_overdue_q(today: object) -> Q:
    """Still open and past the finishing deadline."""
    return Q(status__in=OPEN_STATUSES, finish_due__lt=today)


def ack_on_time_q() -> Q:
    return Q(acknowledged_at__date__lte=F("ack_due")) | Q(
        acknowledged_at__isnull=True,
        status=Status.DUPLICATE,
        closed_at__date__lte=F("ack_due"),
    )


def ack_late_q(today: object) -> Q:
    return (
        Q(acknowledged_at__date__gt=F("ack_due"))
        | Q(acknowledged_at__isnull=True, status=Status.DUPLICATE, closed_at__date__gt=F("ack_due"))
        | ack_overdue_q(today)
    )


def _finished_at_q(lookup: str) -> Q:
    done = ~Q(status__in=OPEN_STATUSES)
    return done & (
        Q(**{f"replied_at__date__{lookup}": F("finish_due")})
        | Q(replied_at__isnull=True, **{f"closed_at__date__{lookup}": F("finish_due")})
    )


def finish_on_time_q() -> Q:
    return _finished_at_q("lte")


def finish_late_q(today: object) -> Q:
    return _finished_at_q("gt") | finish_overdue_q(today)


# The values of the list's ``ack`` and ``finish`` filters, with their labels.
ON_TIME, LATE = "on_time", "late"
ACK_TIMELINESS = [(ON_TIME, _("按期受理")), (LATE, _("未按期受理"))]
FINISH_TIMELINESS = [(ON_TIME, _("按期办结")), (LATE, _("未按期办结"))]
TIMELINESS = (ON_TIME, LATE)


def ack_timeliness_q(value: str, today: object) -> Q:
    return ack_on_time_q() if value == ON_TIME else ack_late_q(today)


def finish_timeliness_q(value: str, today: object) -> Q:
    return finish_on_time_q() if value == ON_TIME else finish_late_q(today)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def open(self) -> ComplaintQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: object = None) -> ComplaintQuerySet:
        today = today or timezone.localdate()
        return self.filter(ack_overdue_q(today) | finish_overdue_q(today))


class Complaint(models.Model):
    """One public report (complaint, suggestion or praise) about a collective.

    ``code`` is the tracking code: it names the complaint in the back office and shows its
    status to anyone holding it. Only the filer's secret (given once at filing, stored as
    ``filer_secret_hash``) opens the private details and the filer's answer to the reply, so
    the handling body cannot answer as the complainant. Staff-entered and older complaints
    have no secret: nobody can answer for their filer online. The filer's name and phone are
    seen only by the handling body and city admins, and are blanked by
    ``anonymise_complaints`` after the retention period."""

    code = models.CharField(
        max_length=TRACKING_CODE_LENGTH, unique=True, default=new_tracking_code, editable=False
    )
    filer_secret_hash = models.CharField(max_length=80, blank=True, editable=False)
    held_for_review = models.BooleanField(_("超出受理量待核查"), default=False)
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("集体"),
    )
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("承办组织"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    channel = models.CharField(
        _("渠道"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    text = models.TextField(_("内容"), max_length=2000)
    text_hidden = models.BooleanField(_("内容已屏蔽"), default=False)
    hidden_reason = models.CharField(_("屏蔽原因"), max_length=200, blank=True)
    filer_name = models.CharField(_("姓名"), max_length=50, blank=True)
    filer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    status = models.CharField(
        _("状态"), max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办人"),
    )
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    ack_due = models.DateField(_("受理期限"))
    finish_due = models.DateField(_("办结期限"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("调查结果"), blank=True)
    rectification = models.TextField(_("整改要求"), blank=True)
    upheld = models.BooleanField(_("投诉属实"), default=False)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("重复于"),
    )
    satisfied = models.BooleanField(_("投诉人是否满意"), null=True, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_comment = models.CharField(_("投诉人意见"), max_length=500, blank=True)
    city_review = models.BooleanField(_("待团市委复查"), default=False)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("投诉建议")
        verbose_name_plural = _("投诉建议")
        indexes = [
            # The oversight lists' order, city-wide and per body: a walk, not a sort.
            models.Index(fields=["-received_at", "-id"], name="complaint_list_order"),
            models.Index(fields=["body", "-received_at", "-id"], name="complaint_body_list_order"),
            models.Index(fields=["body", "status", "-received_at"]),
            models.Index(fields=["status", "finish_due"]),
            models.Index(fields=["status", "ack_due"]),
            models.Index(fields=["collective", "-received_at"]),
            models.Index(fields=["category", "status"]),
            models.Index(fields=["city_review", "status"]),
            models.Index(fields=["escalation_level", "status"]),
            models.Index(fields=["closed_at", "anonymised_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code[:6]}…"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        if self.status == Status.RECEIVED and self.ack_due < today:  # type: ignore[operator]
            return True
        return self.is_open and self.finish_due < today  # type: ignore[operator]

    # The secret in clear, set only on the instance the intake service returns (never saved).
    filer_secret = ""

    def filer_secret_matches(self, secret: str | None) -> bool:
        if not self.filer_secret_hash or not secret:
            return False
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return any(
            constant_time_compare(self.filer_secret_hash, hash_filer_secret(self.code, secret, k))
            for k in keys
        )

    @property
    def public_text(self) -> str:
        return "" if self.text_hidden else self.text

    @property
    def reply_text(self) -> str:
        """The answer as shown, in the reader's language. A duplicate's answer is the
        platform's own sentence, rendered from the facts (the stored ``reply`` keeps the
        Chinese text it was given when marked); every other answer is as staff typed it."""
        if self.status == Status.DUPLICATE and self.duplicate_of_id:
            return str(DUPLICATE_REPLY) % {"code": self.duplicate_of.code[:6]}  # type: ignore[union-attr]
        return self.reply


PHOTO_PURPOSE = "supervision.complaint"
# The answer a complaint marked as a duplicate gets (see Complaint.reply_text).
DUPLICATE_REPLY = _("您反映的问题已有相同诉求在办理，将合并处理（原件 %(code)s…）。")


class ComplaintPhoto(models.Model):
    """A photo attached to a complaint, stored and checked by the evidence app (purpose
    ``supervision.complaint``: uploadable by the public, hidden from collective managers)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="photos")
    evidence = models.ForeignKey(
        "evidence.EvidenceFile", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"photo {self.pk}"


class Rating(models.Model):
    """A visitor's 1–5 rating of a collective's service; one per device, collective and day, and
    one per client address, collective and day."""

    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价"), max_length=300, blank=True)
    comment_hidden = models.BooleanField(default=False)
    device = models.CharField(max_length=64)  # sha256 of the device cookie (or of IP + agent)
    # Keyed hash of the client address and the day (``rating_address``); blank on older rows.
    address = models.CharField(max_length=64, blank=True, default="")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "device", "day"], name="one_rating_per_device_day"
            ),
            models.UniqueConstraint(
                fields=["collective", "address", "day"],
                condition=~Q(address=""),
                name="one_rating_per_address_day",
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["collective", "day"]),
            # The ratings list's order (newest first), and a month's ratings on the dashboard.
            models.Index(fields=["-created_at", "-id"], name="rating_list_order"),
            models.Index(fields=["day"], name="rating_day"),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★"


class RateCounter(models.Model):
    """One row per (key, window): public intake increments it with a conditional UPDATE, so the
    limit holds across every server process sharing the database."""

    key = models.CharField(max_length=120)
    window = models.BigIntegerField()  # window start, epoch seconds
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="rate_counter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}"
