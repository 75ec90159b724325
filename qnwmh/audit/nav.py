from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [NavItem(_("审计日志"), "audit:log", "audit.view", order=920, group="system")]
