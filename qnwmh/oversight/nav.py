"""Menu entries of oversight (动态管理), in the order of the work: the standard, the
re-review, spot checks and visits, sanctions and rectification, exits."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from qnwmh.core.nav import NavItem

G = "oversight"

NAV_ITEMS: list[NavItem] = []
