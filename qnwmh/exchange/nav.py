from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("交流活动"), "exchange:list", "exchange.view_list", order=20, group="exchange")
]
