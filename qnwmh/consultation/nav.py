"""Menu entry of consultations (征求意见) in the exchange group."""

from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(_("征求意见"), "consultation:list", "consultation.view", group="exchange", order=40),
]
