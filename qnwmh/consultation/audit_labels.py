"""Labels of the audit codes consultation writes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "consultation.created": _("起草征求意见稿"),
    "consultation.updated": _("修改征求意见"),
    "consultation.opened": _("发出征求意见"),
    "consultation.closed": _("截止征求意见"),
    "consultation.published": _("公布定稿及意见处理情况"),
    "consultation.reminded": _("提醒未回复单位"),
    "consultation.respondent.opened": _("查看征求意见稿"),
    "consultation.respondent.commented": _("提出意见"),
    "consultation.respondent.no_comment": _("回复无意见"),
    "consultation.comment.public": _("公众提出意见"),
    "consultation.comment.disposed": _("处理意见"),
    "consultation.summary.exported": _("导出意见汇总"),
}
