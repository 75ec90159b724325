"""Who may read the API's interactive docs (token rules: ``qnwmh.access.rules``)."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("api.view_docs", target=None)
def _view_docs(actor: Actor, obj: Any) -> bool:
    return actor.is_staff_of_body
