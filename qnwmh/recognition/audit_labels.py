"""Labels of the audit codes recognition writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "recognition.reward.recorded": _("登记奖励"),
    "recognition.reward.withdrawn": _("撤销奖励登记"),
    "recognition.reward.exported": _("导出奖励登记"),
    "recognition.story.created": _("撰写典型案例"),
    "recognition.story.updated": _("修改典型案例"),
    "recognition.story.submitted": _("提交典型案例"),
    "recognition.story.approved": _("审核通过典型案例"),
    "recognition.story.returned": _("退回典型案例"),
    "recognition.story.published": _("发布典型案例"),
    "recognition.story.withdrawn": _("撤回典型案例"),
    "recognition.story.exported": _("导出典型案例"),
}
