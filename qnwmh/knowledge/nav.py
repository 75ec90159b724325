from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(
        _("知识测试"), "knowledge:exams", "knowledge.view_exams", order=30, group="certification"
    ),
    NavItem(
        _("知识测试题库"),
        "knowledge:bank",
        "knowledge.manage_bank",
        order=85,
        group="certification",
    ),
]
