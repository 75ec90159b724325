"""Labels of the audit codes training writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "training.session.created": _("安排轮训"),
    "training.session.invited_more": _("补充通知号长"),
    "training.session.reminded": _("提醒未签到集体"),
    "training.session.cancelled": _("取消轮训"),
    "training.invitation.checked_in": _("轮训签到"),
    "training.invitation.leader_changed": _("轮训通知改为新号长"),
    "training.certificate.printed": _("打印轮训结业证书"),
    "training.sessions.exported": _("导出轮训"),
    "training.coverage.exported": _("导出轮训覆盖率"),
}
