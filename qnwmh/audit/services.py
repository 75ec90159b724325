"""The one audit call. Every service writes exactly one entry per state change, inside the
same transaction: if the entry cannot be written, the change rolls back with it."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.fields.files import FieldFile

from qnwmh.audit.models import AuditEntry

if TYPE_CHECKING:
    from qnwmh.core.actor import Actor


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model's concrete fields, for before/after."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if getattr(f, "auto_now", False):
            continue  # bookkeeping, not a change anyone made
        out[f.name] = _jsonable(getattr(obj, f.attname))
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in after.items() if before.get(k) != v}


def log_action(
    actor: Actor,
    obj: models.Model | None,
    code: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record ``code`` (dotted, e.g. ``collectives.collective.updated``) done by ``actor``."""
    if before is not None and after is not None:
        # Keep the entry readable: store only the fields that changed, both sides.
        diff = changed(before, after)
        before = {k: before.get(k) for k in diff}
        after = diff
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        ip=actor.ip,
        code=code,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=before,
        after=after,
        data=_jsonable_dict(data or {}),
    )


def _jsonable_dict(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in data.items()}
