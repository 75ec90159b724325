from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(
        _("投诉监督"), "supervision:list", "supervision.view_list", order=60, group="supervision"
    )
]
