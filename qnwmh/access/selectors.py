"""Reads of people with their roles and of API tokens, scoped to the actor."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from qnwmh.access.models import ApiToken, RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.core.actor import Actor


def users_visible_to(actor: Actor) -> QuerySet[User]:
    """City admins: everyone. Body admins: people holding a role in their bodies or their
    bodies' collectives. Others: nobody."""
    if actor.is_city_admin:
        qs = User.objects.all()
    elif actor.body_ids:
        qs = User.objects.filter(
            Q(assignments__organisation_id__in=actor.body_ids)
            | Q(assignments__collective__body_id__in=actor.body_ids),
            assignments__revoked_at__isnull=True,
        ).distinct()
    else:
        return User.objects.none()
    return qs.prefetch_related(
        Prefetch(
            "assignments",
            queryset=RoleAssignment.objects.active().select_related("organisation", "collective"),
            to_attr="active_assignments",
        )
    ).order_by("username")


def tokens_visible_to(actor: Actor) -> QuerySet[ApiToken]:
    """City admins see every token; everyone else their own."""
    qs = ApiToken.objects.select_related("user")
    if actor.is_city_admin:
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(user=actor.user)
