"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "awards.entry.removed": _("移出拟认定名单"),
    "awards.entry.moved_up": _("候补递补进入名单"),
    "awards.inspection.recorded": _("记录考察结果"),
    "awards.notice.published": _("发布公示"),
    "awards.objection.filed": _("收到公示异议"),
    "awards.objection.assigned": _("指定异议承办人"),
    "awards.objection.decided": _("异议办结"),
}
