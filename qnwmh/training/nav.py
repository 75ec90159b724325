"""Menu entries of leader training (exchange group, orders 10–19)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "exchange"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("领导轮训"), "training:sessions", "training.view", group=G, order=10),
    NavItem(_("轮训覆盖率"), "training:coverage", "training.coverage", group=G, order=11),
]
