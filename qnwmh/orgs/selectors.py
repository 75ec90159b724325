from __future__ import annotations

from django.db.models import Q, QuerySet

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.models import Role, RoleAssignment, User
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Organisation, OrganisationQuerySet


def organisations_visible_to(actor: Actor) -> OrganisationQuerySet:
    """City admins see the whole tree; body admins their own subtree; others nothing."""
    return in_scope(
        Organisation.objects.select_related("town", "sector", "parent"), actor, body="id"
    )


def bodies_visible_to(actor: Actor) -> OrganisationQuerySet:
    return organisations_visible_to(actor).filter(kind=Organisation.Kind.BODY)


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
