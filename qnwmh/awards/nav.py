"""Menu entries of the awards stage (in the certification group)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "certification"

NAV_ITEMS: list[NavItem] = [
    # ranking
    NavItem(_("排名与拟认定名单"), "awards:ranking_rounds", "awards.view", group=G, order=90),
]
