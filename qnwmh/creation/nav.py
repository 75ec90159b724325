from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("创建记录"), "creation:index", "creation.view", order=30, group="creation"),
    NavItem(
        _("创建合规"), "creation:compliance", "creation.view_compliance", order=31, group="creation"
    ),
    NavItem(_("三个一"), "creation:duties", "creation.view_compliance", order=32, group="creation"),
    NavItem(
        _("创建日志查询"),
        "creation:entries",
        "creation.view_compliance",
        order=33,
        group="creation",
    ),
]
