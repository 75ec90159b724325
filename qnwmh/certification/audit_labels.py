"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
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
