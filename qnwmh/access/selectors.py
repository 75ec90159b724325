"""Reads of people with their roles and of API tokens, scoped to the actor."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.access.models import ApiToken, RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.core.actor import Actor, Role
from qnwmh.orgs.models import Organisation


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


def administrators_of(body_id: int, *, with_city_admins: bool = False) -> QuerySet[User]:
    """Who administers a body: the active users holding an active body-admin role on it or on
    any organisation above it (a body admin's scope covers its subtree, as ``Actor.body_ids``
    does). ``with_city_admins`` adds the city admins, who administer every body."""
    body = Organisation.objects.only("path").filter(pk=body_id).first()
    condition = Q(
        role=Role.BODY_ADMIN,
        organisation__in=Organisation.objects.containing(body.path) if body else [],
    )
    if with_city_admins:
        condition |= Q(role=Role.CITY_ADMIN)
    ids = RoleAssignment.objects.active().filter(condition).values("user_id")
    return User.objects.filter(id__in=ids, is_active=True)


def visible_user(actor: Actor, username: str) -> User:
    """The person with this username, or Http404 if the actor may not see them."""
    return get_object_or_404(users_visible_to(actor), username=username)


def visible_assignment(actor: Actor, username: str, assignment_id: int) -> RoleAssignment:
    """An active role of a person the actor can see, or Http404."""
    person = visible_user(actor, username)
    assignment = get_object_or_404(
        RoleAssignment.objects.active().select_related("organisation", "collective"),
        user=person,
        pk=assignment_id,
    )
    assignment.user = person  # the loaded, scoped instance: no second query
    return assignment


def token_detail(actor: Actor, code: str) -> ApiToken:
    """The token with this code, or Http404 if the actor may not see it."""
    return get_object_or_404(tokens_visible_to(actor), code=code)
