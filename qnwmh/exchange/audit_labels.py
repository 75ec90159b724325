"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "exchange.event.created": _("创建交流活动"),
    "exchange.event.opened": _("开放活动报名"),
    "exchange.event.held": _("标记活动已举办"),
    "exchange.event.closed": _("结束交流活动"),
    "exchange.event.cancelled": _("取消交流活动"),
    "exchange.registration.created": _("报名交流活动"),
    "exchange.registration.withdrawn": _("退出交流活动报名"),
    "exchange.attendance.recorded": _("登记活动出席"),
    "exchange.minutes.recorded": _("记录活动纪要和照片"),
    "exchange.appraisal.submitted": _("提交互访评价"),
    "exchange.events.exported": _("导出交流活动"),
}
