"""What the home page asks of each role about collectives."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import CollectiveStatus, Eligibility
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.home import Task


def tasks(actor: Actor) -> list[Task]:
    if not (actor.is_staff_of_body or actor.is_collective_manager):
        return []
    list_url = reverse("collectives:list")
    if actor.is_collective_manager and not actor.is_staff_of_body:
        return [
            Task(
                title=c.name,
                detail=_("资格：%(status)s；成员 %(n)s 人")
                % {"status": c.get_eligibility_display(), "n": c.member_count},
                url=reverse("collectives:detail", args=[c.code]),
                tone="ok" if c.eligibility == Eligibility.MET else "warn",
            )
            for c in collectives_visible_to(actor).filter(status=CollectiveStatus.ACTIVE)[:10]
        ]
    counts = (
        collectives_visible_to(actor)
        .filter(status=CollectiveStatus.ACTIVE)
        .aggregate(
            total=Count("id"),
            not_met=Count("id", filter=Q(eligibility=Eligibility.NOT_MET)),
            near=Count("id", filter=Q(eligibility=Eligibility.NEAR)),
        )
    )
    return [
        Task(title=_("集体总数"), count=counts["total"], url=list_url),
        Task(
            title=_("不符合资格条件的集体"),
            count=counts["not_met"],
            detail=_("请核对成员名单，使其符合人数、年龄和国籍要求。"),
            url=f"{list_url}?eligibility=not_met",
            tone="warn" if counts["not_met"] else "ok",
        ),
        Task(
            title=_("接近资格临界的集体"),
            count=counts["near"],
            detail=_("成员年龄或比例接近上限，请提前调整。"),
            url=f"{list_url}?eligibility=near",
            tone="warn" if counts["near"] else "ok",
        ),
    ]
