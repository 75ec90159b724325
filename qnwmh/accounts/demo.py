"""Demo: one account of every role (see qnwmh.demo.accounts and the README)."""

from __future__ import annotations

from qnwmh.accounts.models import Role, RoleAssignment, User
from qnwmh.collectives.models import Collective
from qnwmh.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from qnwmh.demo.context import DemoContext
from qnwmh.orgs.models import Organisation

ORDER = 40


def build(ctx: DemoContext) -> None:
    for account in DEMO_ACCOUNTS:
        user = User(
            username=account.username,
            display_name=account.display_name,
            email=f"{account.username}@zs.example.cn",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if account.role == Role.COLLECTIVE_MANAGER:
            target: dict[str, object] = {
                "collective": Collective.objects.get(name=account.organisation)
            }
        elif account.role == Role.REVIEWER:
            target = {}
        else:
            target = {"organisation": Organisation.objects.get(name=account.organisation)}
        RoleAssignment.objects.create(user=user, role=account.role, **target)
        ctx.users[account.username] = user
