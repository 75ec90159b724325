"""Demo: one account of every role (see ``qnwmh.core.demo_context.DEMO_ACCOUNTS`` and the README);
their roles are granted by ``qnwmh.access.demo`` once the organisations and collectives exist."""

from __future__ import annotations

from qnwmh.accounts.models import User
from qnwmh.core.demo_context import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoContext


def build(ctx: DemoContext) -> None:
    for account in DEMO_ACCOUNTS:
        user = User(
            username=account.username,
            display_name=account.display_name,
            email=f"{account.username}@zs.example.cn",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        ctx.users[account.username] = user
