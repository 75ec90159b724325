"""Labels of the audit codes oversight writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "oversight.sanction.proposed": _("提出处理建议"),
    "oversight.sanction.imposed": _("作出处理"),
    "oversight.sanction.withdrawn": _("撤回处理建议"),
    "oversight.exit.recorded": _("称号退出"),
    "oversight.spot_check.drawn": _("抽检抽样"),
    "oversight.visit.created": _("新增走访"),
    "oversight.visit.planned": _("安排走访"),
    "oversight.visit.recorded": _("记录走访结果"),
    "oversight.visit.closed": _("走访办结"),
    "oversight.visits.exported": _("导出走访"),
}
