"""Who hears about the re-review (called after commit): the collectives' managers when the
campaign opens and when their case is decided, the body's admins when a case is self-reported,
the city when a case is assessed. The reminders command uses the same helpers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.core.actor import Role
from qnwmh.oversight.models import AnnualReview, Outcome, ReviewCase

BATCH = 5_000


def case_link(c: ReviewCase) -> str:
    return reverse("oversight:review_case", args=[c.code])


def managers_by_collective(collective_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active managers of each of these collectives: two queries per batch of ids."""
    ids = sorted(set(collective_ids))
    out: dict[int, list[User]] = defaultdict(list)
    for i in range(0, len(ids), BATCH):
        grants = list(
            RoleAssignment.objects.active()
            .filter(role=Role.COLLECTIVE_MANAGER, collective_id__in=ids[i : i + BATCH])
            .values_list("user_id", "collective_id")
        )
        users = User.objects.filter(id__in={u for u, _ in grants}, is_active=True).in_bulk()
        for user_id, collective_id in grants:
            if user_id in users:
                out[collective_id].append(users[user_id])
    return out


def managers_of(collective_ids: Iterable[int]) -> list[User]:
    unique = {u.pk: u for us in managers_by_collective(collective_ids).values() for u in us}
    return [unique[k] for k in sorted(unique)]


def opened(review: AnnualReview, collective_ids: list[int]) -> None:
    from qnwmh.notices.services import notify

    notify(
        managers_of(collective_ids),
        code="oversight.review.opened",
        params={"year": review.year, "due": review.self_report_due.isoformat()},
        link=reverse("oversight:my_reviews"),
    )


def self_reported(c: ReviewCase) -> None:
    from qnwmh.notices.services import body_admins, notify

    notify(
        [u for u in body_admins(c.body_id) if u.pk != c.self_reported_by_id],
        code="oversight.review.self_reported",
        params={"c": c.collective.name, "year": c.review.year},
        link=case_link(c),
    )


def assessed(c: ReviewCase) -> None:
    from qnwmh.notices.services import city_admins, notify

    notify(
        [u for u in city_admins() if u.pk != c.assessed_by_id],
        code="oversight.review.assessed",
        params={
            "c": c.collective.name,
            "year": c.review.year,
            "proposed": Outcome(c.proposed_outcome).label,
        },
        link=case_link(c),
    )


def decided(c: ReviewCase) -> None:
    from qnwmh.notices.services import collective_managers, notify

    notify(
        collective_managers(c.collective_id),
        code="oversight.review.decided",
        params={"c": c.collective.name, "year": c.review.year, "outcome": Outcome(c.outcome).label},
        link=case_link(c),
    )
