from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("组织"), "orgs:list", "orgs.view", order=800, group="directory"),
    NavItem(_("镇区与行业"), "orgs:reference", "orgs.view", order=810, group="directory"),
]
