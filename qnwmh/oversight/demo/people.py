"""Who acts in the oversight demo where the demo has no account: a collective's own manager,
or a named one without a usable login (nobody signs in as them; their acts are theirs)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from qnwmh.access.actor import actor_for
from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor, Role


def manager_of(collective: Collective) -> Actor:
    grant = (
        RoleAssignment.objects.active()
        .filter(role=Role.COLLECTIVE_MANAGER, collective_id=collective.id)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if grant is None:
        user = User.objects.create(
            username=f"mgr_{collective.code.lower()}", password=make_password(None)
        )
        grant = RoleAssignment.objects.create(
            user=user, role=Role.COLLECTIVE_MANAGER, collective_id=collective.id
        )
    return actor_for(grant.user)
