"""In-app notices (the bell): one row per recipient, marked read, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet["Notice"]):
    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices"
    )
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    code = models.CharField(_("事件"), max_length=100, blank=True)
    # The facts of the sentence (see notices.messages); rows written before this field held
    # only ``text`` (a sentence in Chinese) and are shown as stored.
    params = models.JSONField(_("参数"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The sentence in the active language."""
        from qnwmh.notices.messages import render

        return render(self.code, self.params, self.text)


class MailStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboundMail(models.Model):
    """One e-mail to one address: written in the caller's transaction, sent by the worker
    (``notices.outbox``). Retried with back-off; after the last try it stays FAILED and is
    listed for city admins, who can send it again. Never deleted."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.CharField(_("收件地址"), max_length=254)
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    # The task run that is sending it now, and until when that claim holds: a second run of
    # the same mail waits; the same run restarted after its worker died goes on.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("外发邮件")
        verbose_name_plural = _("外发邮件")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
