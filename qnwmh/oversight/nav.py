"""Menu entries of oversight (动态管理), in the order of the work: the standard, the
re-review, spot checks and visits, sanctions and rectification, exits."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "oversight"

NAV_ITEMS: list[NavItem] = [
    # Spot checks (30–39).
    NavItem(_("抽检"), "oversight:spot_checks", "oversight.view", group=G, order=30),
    NavItem(_("明察暗访"), "oversight:visits", "oversight.view", group=G, order=31),
    NavItem(_("我的走访"), "oversight:my_visits", "oversight.own_visits", group=G, order=32),
]
