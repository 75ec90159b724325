from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [NavItem(_("创建周期"), "cycles:list", "cycles.view", order=20, group="cycle")]
