"""Builders of partnerships data on the test world: a second titled collective of the world's
body, a creating collective registered in an open cycle, and projects and pairs brought to a
state through the services (as the city and the body would)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.collectives.models import Collective
from qnwmh.cycles.models import RegistrationStatus
from qnwmh.partnerships import services
from qnwmh.partnerships.models import JointCreation, MentorPair, Status
from tests import factories as f
from tests import factories_cycles as fc


def titled_partner(w: Any) -> Collective:
    """A second titled collective of the world's body (kept on the world)."""
    if not hasattr(w, "_partner"):
        c = f.collective(w.body, name="石岐街道税务分局青年办税服务队", members=3)
        f.title(c)
        w._partner = c
    partner: Collective = w._partner
    return partner


def mentee(w: Any) -> Collective:
    """A collective of the world's body registered in an open cycle (kept on the world)."""
    if not hasattr(w, "_mentee"):
        cycle = fc.cycle()
        c = f.collective(w.body, name="石岐街道社区卫生服务站青年医护组", members=3)
        fc.registration(cycle, c, status=RegistrationStatus.ACCEPTED)
        w._mentee = c
    found: Collective = w._mentee
    return found


def joint(w: Any, status: str = Status.PROPOSED, **over: Any) -> JointCreation:
    today = timezone.localdate()
    p = services.joint_propose(
        w.actor("body_admin"),
        name=over.get("name", "便民服务双窗口联创"),
        goal="两个窗口共享服务标准，联合开展岗位练兵。",
        partners=[w.collective, titled_partner(w)],
        milestones=[
            ("联合制定服务标准", today - datetime.timedelta(days=5)),
            ("联合岗位练兵", today + datetime.timedelta(days=60)),
        ],
    )
    return _bring(w, p, status, services.joint_confirm, services.joint_return)


def pair(w: Any, status: str = Status.PROPOSED) -> MentorPair:
    p = services.pair_propose(
        w.actor("body_admin"),
        mentor=w.collective,
        mentee=mentee(w),
        plan="每季度一次跟岗学习，共同开展一次志愿服务。",
    )
    return _bring(w, p, status, services.pair_confirm, services.pair_return)


def _bring(w: Any, p: Any, status: str, confirm: Any, give_back: Any) -> Any:
    city = w.actor("city_admin")
    if status == Status.RETURNED:
        return give_back(city, p, reason="材料不全。")
    if status in (Status.ACTIVE, Status.CLOSED):
        p = confirm(city, p)
    if status == Status.CLOSED:
        if isinstance(p, MentorPair):
            p = services.pair_close(city, p, review="帮带成效明显。", rating="achieved")
        else:
            p = services.joint_close(city, p, outcome="形成共享服务标准。")
    return p
