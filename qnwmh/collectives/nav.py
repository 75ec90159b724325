from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("集体"), "collectives:list", "collectives.view_list", order=10, group="directory")
]
