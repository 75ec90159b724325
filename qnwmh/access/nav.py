from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("账号"), "accounts:user_list", "accounts.manage_users", order=900, group="system"),
]
