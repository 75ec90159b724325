"""Menu entries of the dashboards (统计报表)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(_("数据看板"), "dashboards:dashboard", "dashboards.view", group="reports", order=10),
    NavItem(_("年度报告"), "dashboards:report", "dashboards.view", group="reports", order=20),
]
