from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [NavItem(_("我的文件"), "downloads:list", "downloads.list", order=990, group="system")]
