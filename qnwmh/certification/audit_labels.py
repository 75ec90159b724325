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
    "certification.sheet.started": _("开始评分"),
    "certification.sheet.submitted": _("提交评分表"),
    "certification.sheet.paper_entered": _("录入纸质评分表"),
    "certification.sheet.reopened": _("退回评分表重评"),
    "certification.sheet.printed": _("打印评分表"),
    "certification.round.aggregated": _("汇总评审得分"),
    "certification.scores.exported": _("导出评审得分"),
    "certification.defence.scheduled": _("安排集中答辩"),
    "certification.defence.drawn": _("抽签确定答辩顺序"),
}
