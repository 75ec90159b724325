"""Demo: each demo account's role, on its organisation or collective."""

from __future__ import annotations

from qnwmh.access.models import RoleAssignment
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Role
from qnwmh.core.demo_context import DEMO_ACCOUNTS, DemoContext
from qnwmh.orgs.models import Organisation


def build(ctx: DemoContext) -> None:
    for account in DEMO_ACCOUNTS:
        if account.role == Role.COLLECTIVE_MANAGER:
            target: dict[str, object] = {
                "collective": Collective.objects.get(name=account.organisation)
            }
        elif account.role == Role.REVIEWER:
            target = {}
        else:
            target = {"organisation": Organisation.objects.get(name=account.organisation)}
        RoleAssignment.objects.create(user=ctx.users[account.username], role=account.role, **target)
