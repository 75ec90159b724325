"""Labels of the audit codes oversight writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "oversight.sanction.proposed": _("提出处理建议"),
    "oversight.sanction.imposed": _("作出处理"),
    "oversight.sanction.withdrawn": _("撤回处理建议"),
    "oversight.exit.recorded": _("称号退出"),
    "oversight.exit.plaque_recovered": _("登记牌匾收回"),
    "oversight.exit.exported": _("导出退出名单"),
    "oversight.standard.created": _("建立量化考核标准"),
    "oversight.standard.updated": _("修改量化考核标准"),
    "oversight.standard.item_added": _("添加考核项目"),
    "oversight.standard.item_changed": _("修改考核项目"),
    "oversight.standard.item_moved": _("调整考核项目顺序"),
    "oversight.standard.item_removed": _("删除考核项目"),
    "oversight.standard.exported": _("导出量化考核标准"),
    "oversight.review.opened": _("开始年度复核"),
    "oversight.review.closed": _("结束年度复核"),
    "oversight.case.self_reported": _("提交复核自评"),
    "oversight.case.assessed": _("团委复核评价"),
    "oversight.case.decided": _("确认复核结论"),
    "oversight.case.forced": _("市级直接确认复核结论"),
    "oversight.case.exported": _("导出复核个案"),
    "oversight.spot_check.drawn": _("抽检抽样"),
    "oversight.visit.created": _("新增走访"),
    "oversight.visit.planned": _("安排走访"),
    "oversight.visit.recorded": _("记录走访结果"),
    "oversight.visit.closed": _("走访办结"),
    "oversight.visits.exported": _("导出走访"),
}
