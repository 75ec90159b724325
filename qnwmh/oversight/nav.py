"""Menu entries of oversight (动态管理), in the order of the work: the standard, the
re-review, spot checks and visits, sanctions and rectification, exits."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "oversight"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("处理"), "oversight:sanctions", "oversight.view", 40, group=G),
    NavItem(_("整改"), "oversight:rectifications", "oversight.follow_up", 45, group=G),
]
