"""Menu entries of partnerships, in the exchange group (orders 30–39)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "exchange"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("号号联创"), "partnerships:joints", "partnerships.view", group=G, order=30),
    NavItem(_("新老结对"), "partnerships:pairs", "partnerships.view", group=G, order=31),
]
