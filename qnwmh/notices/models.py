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
