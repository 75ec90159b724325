"""Menu entries of oversight (动态管理), in the order of the work: the standard, the
re-review, spot checks and visits, sanctions and rectification, exits."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "oversight"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("量化考核标准"), "oversight:standards", "oversight.view", group=G, order=10),
    NavItem(_("称号退出"), "oversight:exits", "oversight.view", group=G, order=19),
    NavItem(_("年度复核"), "oversight:reviews", "oversight.view", group=G, order=20),
    NavItem(_("我的复核"), "oversight:my_reviews", "oversight.my_reviews", group=G, order=21),
    # Spot checks (30–39).
    NavItem(_("抽检"), "oversight:spot_checks", "oversight.view", group=G, order=30),
    NavItem(_("明察暗访"), "oversight:visits", "oversight.view", group=G, order=31),
    NavItem(_("我的走访"), "oversight:my_visits", "oversight.own_visits", group=G, order=32),
    NavItem(_("处理"), "oversight:sanctions", "oversight.view", 40, group=G),
    NavItem(_("整改"), "oversight:rectifications", "oversight.follow_up", 45, group=G),
]
