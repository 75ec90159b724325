"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "supervision.complaint.filed": _("受理投诉"),
    "supervision.complaint.assigned": _("分派投诉"),
    "supervision.complaint.acknowledged": _("签收投诉"),
    "supervision.complaint.investigating": _("调查投诉"),
    "supervision.complaint.replied": _("答复投诉"),
    "supervision.complaint.closed": _("办结投诉"),
    "supervision.complaint.duplicate": _("标记重复投诉"),
    "supervision.complaint.not_substantiated": _("投诉不属实"),
    "supervision.complaint.rectification_ordered": _("责令整改"),
    "supervision.complaint.escalated": _("投诉转团市委复查"),
    "supervision.complaint.reopened": _("投诉重新办理"),
    "supervision.complaint.filer_satisfied": _("投诉人表示满意"),
    "supervision.complaint.anonymised": _("投诉个人信息匿名化"),
    "supervision.complaint.text_hidden": _("隐藏投诉内容"),
    "supervision.complaint.text_shown": _("恢复显示投诉内容"),
    "supervision.complaint.exported": _("导出投诉"),
    "supervision.rating.added": _("服务评价"),
    "supervision.holiday.added": _("添加节假日"),
    "supervision.holiday.deactivated": _("停用节假日"),
    "supervision.complaint.held": _("投诉超出上限待核查"),
}
