from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(
        _("公示牌"), "boards:bulk", "public.print_boards_in_bulk", order=80, group="supervision"
    ),
    NavItem(_("参观预约"), "visits:list", "public.view_visits", order=81, group="creation"),
]
