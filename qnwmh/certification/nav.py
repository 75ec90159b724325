from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("评选认定"), "certification:rounds", "certification.view", order=25, group="cycle"),
]
