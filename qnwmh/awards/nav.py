"""Menu entries of the awards stage (in the certification group)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "certification"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("认定决定"), "awards:decisions", "awards.view", group=G, order=76),
    NavItem(_("证书"), "awards:certificates", "awards.view", group=G, order=77),
]
