"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "creation.plan.version_saved": _("保存创建计划新版本"),
    "creation.entry.created": _("登记创建日志"),
    "creation.entry.recorded": _("由其他环节记入创建日志"),
    "creation.entry.corrected": _("更正创建日志"),
    "creation.entry.evidence_added": _("追加佐证"),
    "creation.duty.recorded": _("记录“三个一”职责"),
    "creation.reminders.sent": _("发送创建提醒"),
    "creation.compliance.exported": _("导出创建合规"),
}
