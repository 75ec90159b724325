"""Who may upload evidence. Reading is scoped by ``selectors.evidence_visible_to``.

Hooks for later apps (fill them in their ``AppConfig.ready``):
- ``PUBLIC_UPLOAD_PURPOSES``: purposes anyone may upload for (e.g. a public complaint's photos).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule

PUBLIC_UPLOAD_PURPOSES: set[str] = set()


@dataclass(frozen=True)
class UploadTarget:
    collective: Any
    body: Any
    purpose: str


@rule("evidence.upload", target=UploadTarget)
def _upload(actor: Actor, target: UploadTarget) -> bool:
    if target.purpose in PUBLIC_UPLOAD_PURPOSES:
        return True
    if actor.is_city_admin:
        return True
    if target.collective is not None:
        return (
            target.collective.body_id in actor.body_ids
            or target.collective.id in actor.collective_ids
        )
    if target.body is not None:
        return target.body.id in actor.body_ids
    return False
