from django.utils.translation import gettext_lazy as _

from qnwmh.core.nav import NavItem

# The certification stage has no menu group of its own yet: it sits under the cycle.
NAV_ITEMS = [
    NavItem(
        _("评审工作台"),
        "certification:review_home",
        "certification.review",
        order=10,
        group="cycle",
    ),
    NavItem(
        _("评审专家库"),
        "certification:reviewers",
        "certification.manage_reviewers",
        order=80,
        group="cycle",
    ),
    NavItem(
        _("评审片区"),
        "certification:areas",
        "certification.manage_reviewers",
        order=81,
        group="cycle",
    ),
]
