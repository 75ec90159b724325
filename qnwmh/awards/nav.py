"""Menu entries of the awards stage (in the certification group)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "certification"

NAV_ITEMS: list[NavItem] = [
    NavItem(_("排名与拟认定名单"), "awards:ranking_rounds", "awards.view", group=G, order=90),
    NavItem(_("考察与公示"), "awards:notices", "awards.view", 91, group=G),
    NavItem(_("公示异议"), "awards:objections", "awards.view", 92, group=G),
    NavItem(_("认定决定"), "awards:decisions", "awards.view", group=G, order=76),
    NavItem(_("证书"), "awards:certificates", "awards.view", group=G, order=77),
]
