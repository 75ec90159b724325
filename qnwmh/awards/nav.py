"""Menu entries of the awards stage (in the certification group)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(_("考察与公示"), "awards:notices", "awards.view", 40, group="certification"),
    NavItem(_("公示异议"), "awards:objections", "awards.view", 41, group="certification"),
    NavItem(
        _("推报省级"), "awards:nomination_rounds", "awards.view", group="certification", order=60
    ),
]
