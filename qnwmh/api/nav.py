from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("接口令牌"), "api:tokens", "api.manage_token", order=900, group="system"),
]
