from __future__ import annotations

from django.shortcuts import get_object_or_404

from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Organisation, OrganisationQuerySet, Sector, Town


def organisations_visible_to(actor: Actor) -> OrganisationQuerySet:
    """City admins see the whole tree; body admins their own subtree; others nothing."""
    return in_scope(
        Organisation.objects.select_related("town", "sector", "parent"), actor, body="id"
    )


def bodies_visible_to(actor: Actor) -> OrganisationQuerySet:
    return organisations_visible_to(actor).filter(kind=Organisation.Kind.BODY)


def organisation_detail(actor: Actor, code: str) -> Organisation:
    """The organisation with this code, or Http404 if the actor may not see it."""
    return get_object_or_404(organisations_visible_to(actor), code=code)


def town_detail(actor: Actor, pk: int) -> Town:
    """Reference data: every signed-in person sees every town."""
    return get_object_or_404(Town, pk=pk)


def sector_detail(actor: Actor, pk: int) -> Sector:
    """Reference data: every signed-in person sees every sector."""
    return get_object_or_404(Sector, pk=pk)
