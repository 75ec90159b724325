"""Demo plumbing every app's ``demo.py`` uses: the shared ``DemoContext`` each builder gets,
and the demo accounts (one per role, plus an outsider body) as the README lists them.
(Not named ``demo.py`` itself: that name makes a module a demo builder.)"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils import timezone

DEMO_PASSWORD = "Hongqi-Demo-2026"


class DemoAccount(NamedTuple):
    username: str
    display_name: str
    role: str
    organisation: str  # an organisation name, or a collective name for collective managers


DEMO_ACCOUNTS = [
    DemoAccount("city_admin", "李晓婷", "city_admin", "共青团中山市委员会"),
    DemoAccount("shiqi_admin", "陈家豪", "body_admin", "共青团中山市石岐街道工作委员会"),
    DemoAccount("xiaolan_admin", "黄嘉欣", "body_admin", "共青团中山市小榄镇委员会"),
    DemoAccount("health_admin", "梁志强", "body_admin", "共青团中山市卫生健康局委员会"),
    DemoAccount("manager_demo", "何雅婷", "collective_manager", "石岐街道便民服务中心青年服务窗口"),
    DemoAccount("reviewer_demo", "周文博", "reviewer", "共青团中山市委员会"),
]


@dataclass
class DemoContext:
    seed: int = 2018
    today: datetime.date = field(default_factory=timezone.localdate)
    rng: random.Random = field(init=False)
    # Filled as builders run, for the builders after them.
    city: Any = None
    bodies: dict[str, Any] = field(default_factory=dict)
    collectives: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
