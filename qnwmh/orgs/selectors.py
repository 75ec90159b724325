from __future__ import annotations

from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Organisation, OrganisationQuerySet


def organisations_visible_to(actor: Actor) -> OrganisationQuerySet:
    """City admins see the whole tree; body admins their own subtree; others nothing."""
    return in_scope(
        Organisation.objects.select_related("town", "sector", "parent"), actor, body="id"
    )


def bodies_visible_to(actor: Actor) -> OrganisationQuerySet:
    return organisations_visible_to(actor).filter(kind=Organisation.Kind.BODY)
