"""A consultation (征求意见): a draft split into sections, sent to a roster of respondents (by
default every managing body) with a deadline; their comments per section, each later given a
disposition that is sent back to its author and published with the final text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征求中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("已公布")


CONSULTATION_TRANSITIONS = Transitions(
    Status,
    {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
    },
    refusal=_("征求意见当前状态为“%(from)s”，不能执行此操作。"),
)


class Consultation(models.Model):
    """Drafted and run by the city (the drafting team); ``deadline`` is when comments are due —
    later ones are kept and marked late until the city closes it."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    title = models.CharField(_("标题"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    deadline = models.DateTimeField(_("反馈截止时间"))
    allow_public = models.BooleanField(_("接受公众意见"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    final_text = models.TextField(_("定稿文本"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return self.title

    @property
    def past_deadline(self) -> bool:
        return timezone.now() > self.deadline


class Section(models.Model):
    """One part of the draft as its own headings cut it: level 0 is the text before the first
    heading, 1 a "一、" heading, 2 a "（一）" heading. ``number`` is the heading's own
    numbering as written ("三、", "（二）")."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="sections"
    )
    position = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField(default=1)
    number = models.CharField(max_length=20, blank=True)
    heading = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="consultation_section_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}{self.heading}" if self.level else str(_("引言"))


class RespondentStatus(models.TextChoices):
    NOT_OPENED = "not_opened", _("未查看")
    OPENED = "opened", _("已查看")
    COMMENTED = "commented", _("已提意见")
    NO_COMMENT = "no_comment", _("无意见")


# A reply is final in one direction only: a body that said 无意见 may still comment, but one
# that has commented cannot take its comments back by saying 无意见.
RESPONDENT_TRANSITIONS = Transitions(
    RespondentStatus,
    {},
    actions={
        "open": ({RespondentStatus.NOT_OPENED}, RespondentStatus.OPENED),
        "comment": (set(RespondentStatus), RespondentStatus.COMMENTED),
        "no_comment": (
            {RespondentStatus.NOT_OPENED, RespondentStatus.OPENED, RespondentStatus.NO_COMMENT},
            RespondentStatus.NO_COMMENT,
        ),
    },
    refusal=_("本单位已提交意见（当前状态“%(from)s”），不能再回复无意见。"),
)

REPLIED = (RespondentStatus.COMMENTED, RespondentStatus.NO_COMMENT)


class Respondent(models.Model):
    """A managing body asked for its comments; its admins answer for it."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="respondents"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RespondentStatus.choices,
        default=RespondentStatus.NOT_OPENED,
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_late = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["consultation", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="consultation_one_respondent_per_org"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Disposition(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不采纳")


class Comment(models.Model):
    """A comment on one section, by a respondent body's admin or (when the consultation allows
    it) a member of the public, whose name and contact are kept for the drafting team only."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="comments")
    respondent = models.ForeignKey(
        Respondent, on_delete=models.PROTECT, related_name="comments", null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    public_name = models.CharField(max_length=50, blank=True)
    public_contact = models.CharField(max_length=100, blank=True)
    text = models.TextField(_("意见"))
    late = models.BooleanField(_("逾期"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    disposition = models.CharField(
        _("处理结果"), max_length=12, choices=Disposition.choices, blank=True
    )
    reason = models.TextField(_("理由"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["section__position", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:30]}"

    @property
    def is_public(self) -> bool:
        return self.respondent_id is None
