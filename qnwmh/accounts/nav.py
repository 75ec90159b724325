from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(
        _("登录日志"), "accounts:login_log", "accounts.view_login_log", order=910, group="system"
    ),
]
