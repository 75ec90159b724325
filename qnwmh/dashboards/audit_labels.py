"""Labels of the audit codes the dashboards write."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "dashboards.figures.exported": _("导出看板数据"),
    "dashboards.report.requested": _("申请生成年度报告"),
    "dashboards.report.exported": _("生成年度报告 Excel"),
}
