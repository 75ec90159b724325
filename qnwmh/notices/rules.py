from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("notices.manage_mail", target=None)
def _manage_mail(actor: Actor, obj: Any) -> bool:
    """See the e-mail that could not be sent, and send it again."""
    return actor.is_city_admin
