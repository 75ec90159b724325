"""What the home page asks of each role about collectives."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives import counts as collective_counts
from qnwmh.collectives.models import CollectiveStatus, Eligibility
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks


def _active_by_eligibility(actor: Actor) -> tuple[Tally, ...]:
    """The actor's active collectives (``total``) and those not meeting or near the
    eligibility limits, as its collectives list counts them: the kept counts of every body
    for the city, of its bodies for a body admin. A body admin who also manages collectives
    outside its bodies counts those few directly (a second tally, to add)."""
    active = CollectiveStatus.ACTIVE
    kept = collective_counts.kept(None if actor.is_city_admin else actor.body_ids, active)
    out = [
        Tally.aggregate(
            kept,
            total=Sum("n"),
            not_met=Sum("n", filter=Q(eligibility=Eligibility.NOT_MET)),
            near=Sum("n", filter=Q(eligibility=Eligibility.NEAR)),
        )
    ]
    if not actor.is_city_admin and actor.collective_ids:
        outside = (
            collectives_visible_to(actor).filter(status=active).exclude(body_id__in=actor.body_ids)
        )
        out.append(
            Tally.aggregate(
                outside,
                total=Count("id"),
                not_met=Count("id", filter=Q(eligibility=Eligibility.NOT_MET)),
                near=Count("id", filter=Q(eligibility=Eligibility.NEAR)),
            )
        )
    return tuple(out)


def tasks(actor: Actor) -> Tasks:
    if not (actor.is_staff_of_body or actor.is_collective_manager):
        return
    list_url = reverse("collectives:list")
    if actor.is_collective_manager and not actor.is_staff_of_body:
        yield from [
            Task(
                title=c.name,
                detail=_("资格：%(status)s；成员 %(n)s 人")
                % {"status": c.get_eligibility_display(), "n": c.member_count},
                url=reverse("collectives:detail", args=[c.code]),
                tone="ok" if c.eligibility == Eligibility.MET else "warn",
            )
            for c in collectives_visible_to(actor).filter(status=CollectiveStatus.ACTIVE)[:10]
        ]
        return
    answers = yield _active_by_eligibility(actor)
    counts: Counter[str] = Counter()
    for got in answers:
        counts.update({k: v or 0 for k, v in got.items()})
    total, not_met, near = counts["total"], counts["not_met"], counts["near"]
    active_url = f"{list_url}?status={CollectiveStatus.ACTIVE}"
    yield from [
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
