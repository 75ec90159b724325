"""Labels of the audit codes partnerships writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "partnerships.joint.proposed": _("提出号号联创"),
    "partnerships.joint.confirmed": _("确认号号联创"),
    "partnerships.joint.returned": _("退回号号联创"),
    "partnerships.joint.closed": _("结束号号联创"),
    "partnerships.joint.exported": _("导出号号联创"),
    "partnerships.milestone.done": _("登记联创节点完成"),
    "partnerships.pair.proposed": _("提出新老结对"),
    "partnerships.pair.confirmed": _("确认新老结对"),
    "partnerships.pair.returned": _("退回新老结对"),
    "partnerships.pair.closed": _("结束新老结对"),
    "partnerships.pair.exported": _("导出新老结对"),
    "partnerships.activity.recorded": _("登记结对活动"),
}
