"""Menu entries of the awards stage (in the certification group)."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(
        _("推报省级"), "awards:nomination_rounds", "awards.view", group="certification", order=60
    ),
]
