"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cycles.cycle.created": _("新建创建周期"),
    "cycles.cycle.updated": _("修改创建周期"),
    "cycles.cycle.phase_changed": _("切换周期阶段"),
    "cycles.cycle.nonpublic_warning": _("非公经济组织数量提醒"),
    "cycles.quota.computed": _("计算名额"),
    "cycles.quota.overridden": _("调整名额"),
    "cycles.quota.headcount_set": _("填报青年人数"),
    "cycles.quota.published": _("公布名额"),
    "cycles.quota.exported": _("导出名额"),
    "cycles.registration.filed": _("提交报备"),
    "cycles.registration.filed_by_city": _("团市委代为备案"),
    "cycles.registration.resubmitted": _("重新提交报备"),
    "cycles.registration.withdrawn": _("撤回报备"),
    "cycles.registration.accepted": _("报备通过初评"),
    "cycles.registration.returned": _("退回报备修改"),
    "cycles.registration.rejected": _("报备初评未通过"),
    "cycles.registration.ranked": _("调整报备排序"),
    "cycles.registration.reminded": _("催办报备"),
    "cycles.registration.reminder": _("报备提醒"),
    "cycles.registration.exported": _("导出报备"),
    "cycles.submission.submitted": _("上报报备名单"),
    "cycles.submission.accepted": _("接收报备名单"),
    "cycles.submission.returned": _("退回报备名单"),
    "cycles.registration.special_set": _("设置特别推荐"),
}
