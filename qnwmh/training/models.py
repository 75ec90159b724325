"""Leader training (轮训): a session organised by the city or a body for one cycle, the leaders
invited to it (one invitation per collective, for its current leader), their check-in by QR
and the session's knowledge test."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions


def new_token() -> str:
    # The QR code's secret: whoever holds it may reach the check-in page (sign-in still needed).
    return secrets.token_urlsafe(24)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    CANCELLED = "cancelled", _("已取消")


SESSION_TRANSITIONS = Transitions(
    SessionStatus,
    {SessionStatus.SCHEDULED: {SessionStatus.CANCELLED}, SessionStatus.CANCELLED: set()},
    refusal=_("轮训当前状态为“%(from)s”，不能执行此操作。"),
)


class Session(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="+", verbose_name=_("创建周期")
    )
    organiser = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办")
    )
    title = models.CharField(_("名称"), max_length=100)
    topic = models.TextField(_("内容"), blank=True)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    checkin_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    exam = models.OneToOneField(
        "knowledge.Exam", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("轮训")
        verbose_name_plural = _("轮训")
        constraints = [
            models.CheckConstraint(
                name="training_session_ends_after_start",
                condition=models.Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A collective's leader asked to attend. The body is the collective's at invitation time
    (coverage counts it there); the leader's name is kept as it was."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="invitations")
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("collectives.Member", on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField(_("号长"), max_length=50)
    invited_at = models.DateTimeField(_("通知时间"), default=timezone.now)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("参训通知")
        verbose_name_plural = _("参训通知")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "collective"], name="training_one_invitation_per_collective"
            )
        ]
        indexes = [models.Index(fields=["member", "session"])]

    def __str__(self) -> str:
        return self.leader_name
