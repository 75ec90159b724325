"""Menu entries of the awards stage (in the certification group)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

G = "certification"

NAV_ITEMS: list[NavItem] = [
    # In the order of the work: rank, inspect and notice, handle objections, decide, certify,
    # nominate upward.
    NavItem(_("排名与拟认定名单"), "awards:ranking_rounds", "awards.view", group=G, order=90),
    NavItem(_("考察与公示"), "awards:notices", "awards.view", group=G, order=91),
    NavItem(_("公示异议"), "awards:objections", "awards.view", group=G, order=92),
    NavItem(_("认定决定"), "awards:decisions", "awards.view", group=G, order=93),
    NavItem(_("证书"), "awards:certificates", "awards.view", group=G, order=94),
    NavItem(_("推报省级"), "awards:nomination_rounds", "awards.view", group=G, order=95),
]
