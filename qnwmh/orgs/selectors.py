from __future__ import annotations

from qnwmh.core.actor import Actor
from qnwmh.orgs.models import Organisation, OrganisationQuerySet


def organisations_visible_to(actor: Actor) -> OrganisationQuerySet:
    """City admins see the whole tree; body admins their own subtree; others nothing."""
    qs = Organisation.objects.select_related("town", "sector", "parent")
    if actor.is_city_admin:
        return qs
    if actor.body_ids:
        return qs.filter(id__in=actor.body_ids)
    return qs.none()


def bodies_visible_to(actor: Actor) -> OrganisationQuerySet:
    return organisations_visible_to(actor).filter(kind=Organisation.Kind.BODY)
