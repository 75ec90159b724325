"""Menu entries of recognition, in the exchange group (orders 50–59)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "exchange"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("奖励登记"), "recognition:rewards", "recognition.view", group=G, order=50),
    NavItem(_("典型案例"), "recognition:stories", "recognition.view", group=G, order=51),
]
