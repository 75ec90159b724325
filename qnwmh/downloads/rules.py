from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("downloads.list", target=None)
def _list(actor: Actor, obj: Any) -> bool:
    """See one's own generated files (each is shown to its owner only)."""
    return actor.is_authenticated
