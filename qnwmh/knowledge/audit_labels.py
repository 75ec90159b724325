"""Words for the knowledge test's audit action codes."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "knowledge.exam.created": _("创建知识测试"),
}
