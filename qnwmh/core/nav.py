"""The back-office menu. Each app may offer entries in its own ``nav.py`` as ``NAV_ITEMS``
(gathered by ``qnwmh.core.plugins``); an entry shows when the actor holds its permission. Entries are grouped by lifecycle stage
(``group``, one of ``GROUPS``); the menu shows one drop-down per stage the actor can reach,
so a new stage adds one group, not another row of links."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.core.plugins import contributions

# The stages of the back office, in menu order. A stage still to come adds its key here.
GROUPS: dict[str, str | Promise] = {
    "directory": _("目录"),
    "cycle": _("周期"),
    "creation": _("创建"),
    "certification": _("认定"),
    "supervision": _("监督"),
    "oversight": _("动态管理"),
    "exchange": _("交流与培训"),
    "reports": _("统计报表"),
    "system": _("系统"),
}


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100
    group: str = "system"

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"unknown menu group {self.group!r} for {self.url_name}")


def all_items() -> list[NavItem]:
    items = [item for c in contributions("nav", "NAV_ITEMS") for item in c.value]
    return sorted(items, key=lambda i: (list(GROUPS).index(i.group), i.order))
