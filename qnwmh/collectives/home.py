"""What the home page asks of each role about collectives."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives import counts as collective_counts
from qnwmh.collectives.models import CollectiveStatus, Eligibility
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.home import Task


def _active_by_eligibility(actor: Actor) -> dict[str, int]:
    """The actor's active collectives per eligibility, as its collectives list counts them:
    the kept counts of every body for the city, of its bodies for a body admin. A body
    admin who also manages collectives outside its bodies counts those few directly."""
    if actor.is_city_admin:
        return collective_counts.per_eligibility(None)
    counts = Counter(collective_counts.per_eligibility(actor.body_ids))
    if actor.collective_ids:
        outside = (
            collectives_visible_to(actor)
            .filter(status=CollectiveStatus.ACTIVE)
            .exclude(body_id__in=actor.body_ids)
            .order_by()
            .values("eligibility")
            .annotate(n=Count("id"))
        )
        counts.update({row["eligibility"]: row["n"] for row in outside})
    return dict(counts)


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
    counts = _active_by_eligibility(actor)
    total = sum(counts.values())
    not_met = counts.get(Eligibility.NOT_MET, 0)
    near = counts.get(Eligibility.NEAR, 0)
    active_url = f"{list_url}?status={CollectiveStatus.ACTIVE}"
    return [
        Task(title=_("集体总数"), count=total, url=active_url),
        Task(
            title=_("不符合资格条件的集体"),
            count=not_met,
            detail=_("请核对成员名单，使其符合人数、年龄和国籍要求。"),
            url=f"{active_url}&eligibility={Eligibility.NOT_MET}",
            tone="warn" if not_met else "ok",
        ),
        Task(
            title=_("接近资格临界的集体"),
            count=near,
            detail=_("成员年龄或比例接近上限，请提前调整。"),
            url=f"{active_url}&eligibility={Eligibility.NEAR}",
            tone="warn" if near else "ok",
        ),
    ]
