"""Scoped reads over certification. Every page and API route starts here.

- Applications: city admins all, body admins their bodies' (subtree), managers their
  collectives'. Reviewers reach an application only through a live assignment of theirs,
  and only while the round is not closed (``applications_for_reviewer``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    Assignment,
    Reviewer,
    RoundStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope


def applications_visible_to(actor: Actor) -> QuerySet[Application]:
    """Staff and managers' scope (reviewers see theirs through ``applications_for_reviewer``)."""
    return in_scope(Application.objects.all(), actor, body="body", collective="collective")


def reviewer_of(actor: Actor) -> Reviewer | None:
    """The actor's reviewer profile, if it holds the reviewer role and is in the pool."""
    if not actor.is_reviewer or actor.user is None:
        return None
    return Reviewer.objects.filter(user=actor.user, active=True).first()


def open_assignments_of(actor: Actor) -> QuerySet[Assignment]:
    """The reviewer's live assignments in rounds still under review."""
    reviewer = reviewer_of(actor)
    if reviewer is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        reviewer=reviewer,
        status__in=LIVE_ASSIGNMENT_STATUSES,
        application__round__status=RoundStatus.REVIEW,
    )


def applications_for_reviewer(actor: Actor) -> QuerySet[Application]:
    """Applications the reviewer is assigned to while their review is open."""
    return Application.objects.filter(id__in=open_assignments_of(actor).values("application_id"))
