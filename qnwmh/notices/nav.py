from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("邮件发送"), "notices:mail", "notices.manage_mail", order=930, group="system")
]
