"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "certification.round.created": _("建立评选认定"),
    "certification.round.updated": _("修改评选认定日期"),
    "certification.round.status_changed": _("切换评选认定状态"),
    "certification.round.areas_assigned": _("按镇区划入评审片区"),
    "certification.application.created": _("新建申报"),
    "certification.application.saved": _("保存申报自评"),
    "certification.application.submitted": _("提交申报"),
    "certification.application.recommended": _("推荐申报"),
    "certification.application.returned": _("退回申报修改"),
    "certification.application.withdrawn": _("撤回申报"),
    "certification.application.exported": _("导出申报"),
}
