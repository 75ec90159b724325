"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "certification.area.created": _("新建评审片区"),
    "certification.area.updated": _("修改评审片区"),
    "certification.reviewer.created": _("专家入库"),
    "certification.reviewer.updated": _("修改专家信息"),
    "certification.panel.created": _("组建评审组"),
    "certification.panel.updated": _("调整评审组"),
    "certification.conflict.declared": _("评委申明回避"),
    "certification.assignment.drawn": _("自动分配评委"),
    "certification.assignment.assigned": _("手工分配评委"),
    "certification.assignment.cancelled": _("撤销评审分配"),
    "certification.assignment.accepted": _("评委接受评审邀请"),
    "certification.assignment.declined": _("评委谢绝评审邀请"),
}
