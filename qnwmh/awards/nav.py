"""Menu entries of the awards stage (in the certification group)."""

from qnwmh.core.nav import NavItem

NAV_ITEMS: list[NavItem] = []
