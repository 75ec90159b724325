"""Who hears about the re-review (called after commit): the collectives' managers when the
campaign opens and when their case is decided, the body's admins when a case is self-reported,
the city when a case is assessed. The reminders command uses the same helpers."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.core.actor import Role
from qnwmh.oversight.models import AnnualReview, Outcome, ReviewCase

BATCH = 5_000


def case_link(c: ReviewCase) -> str:
    return reverse("oversight:review_case", args=[c.code])


def managers_of(collective_ids: Iterable[int]) -> list[User]:
    """The active managers of these collectives, in batches of ids (one query per batch)."""
    ids = sorted(set(collective_ids))
    users: dict[int, User] = {}
    for i in range(0, len(ids), BATCH):
        grants = RoleAssignment.objects.active().filter(
            role=Role.COLLECTIVE_MANAGER, collective_id__in=ids[i : i + BATCH]
        )
        for u in User.objects.filter(id__in=grants.values("user_id"), is_active=True):
            users[u.pk] = u
    return [users[k] for k in sorted(users)]


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
