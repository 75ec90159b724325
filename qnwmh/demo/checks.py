"""``check --deploy`` fails while a published demo account still opens in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from qnwmh.core.demo_context import DEMO_ACCOUNTS, DEMO_PASSWORD


@register(Tags.security, deploy=True)
def demo_accounts_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION:
        return []
    from qnwmh.accounts.models import User

    try:
        users = list(
            User.objects.filter(
                username__in=[a.username for a in DEMO_ACCOUNTS], is_active=True
            ).only("username", "password")
        )
    except DatabaseError:
        return []  # no database yet (before the first migrate): nothing can be active
    # The hasher's own check, without the model's upgrade-on-login write.
    open_accounts = sorted(u.username for u in users if check_password(DEMO_PASSWORD, u.password))
    if not open_accounts:
        return []
    return [
        Error(
            "Demo accounts with the published demo password are active in production: "
            + ", ".join(open_accounts),
            hint="Deactivate them or set real passwords (or use a database without demo data).",
            id="qnwmh.E010",
        )
    ]
