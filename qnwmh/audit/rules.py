"""Who may read the audit log."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("audit.view", target=None)
def _view_audit(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin
