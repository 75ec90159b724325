"""Labels of the audit codes oversight writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "oversight.sanction.proposed": _("提出处理建议"),
    "oversight.sanction.imposed": _("作出处理"),
    "oversight.sanction.withdrawn": _("撤回处理建议"),
    "oversight.exit.recorded": _("称号退出"),
}
