"""Visit bookings made by the public from the open-week calendar (开放周预约参观)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code


class VisitBooking(models.Model):
    """A visitor's request to attend one day of a titled collective's open week. The
    visitor's name and phone are personal data: never in the audit log, masked in lists."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    entry = models.ForeignKey(
        "creation.LogEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("开放周")
    )
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("集体"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    visitors = models.PositiveSmallIntegerField(_("参观人数"))
    visit_on = models.DateField(_("参观日期"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("参观预约")
        verbose_name_plural = _("参观预约")
        indexes = [models.Index(fields=["collective", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.visit_on}"
