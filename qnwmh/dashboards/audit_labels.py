"""Labels of the audit codes the dashboards write."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "dashboards.figures.exported": _("导出看板数据"),
}
