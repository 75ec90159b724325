"""The demo accounts, one per role (plus an outsider body), as the README lists them."""

from __future__ import annotations

from typing import NamedTuple

from qnwmh.demo.context import DEMO_PASSWORD


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

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoAccount"]
