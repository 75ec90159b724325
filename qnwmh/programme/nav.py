from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("创建规则"), "programme:rules", "programme.view_rules", order=850, group="system")
]
