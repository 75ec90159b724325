"""Labels of the audit codes oversight writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "oversight.sanction.proposed": _("提出处理建议"),
    "oversight.sanction.imposed": _("作出处理"),
    "oversight.sanction.withdrawn": _("撤回处理建议"),
    "oversight.exit.recorded": _("称号退出"),
    "oversight.rectification.ordered": _("责令整改"),
    "oversight.rectification.reported": _("提交整改报告"),
    "oversight.rectification.verified": _("核查整改"),
    "oversight.rectification.missed": _("整改逾期未报"),
    "oversight.sanction.exported": _("导出处理记录"),
    "oversight.rectification.exported": _("导出整改记录"),
}
