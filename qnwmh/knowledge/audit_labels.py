"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "knowledge.category.created": _("添加题目类别"),
    "knowledge.category.updated": _("修改题目类别"),
    "knowledge.question.created": _("添加题目"),
    "knowledge.question.updated": _("修改题目"),
    "knowledge.question.retired": _("停用题目"),
    "knowledge.question.restored": _("重新启用题目"),
    "knowledge.questions.imported": _("导入题目"),
    "knowledge.questions.exported": _("导出题库"),
    "knowledge.exam.created": _("创建知识测试"),
    "knowledge.exam.updated": _("修改知识测试设置"),
    "knowledge.attempt.started": _("开始答题"),
    "knowledge.attempt.submitted": _("交卷"),
    "knowledge.attempt.expired": _("超时自动交卷"),
}
