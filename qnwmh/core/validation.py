from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from qnwmh.core.errors import DomainError


def clean_or_raise(obj: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """Run model validation; the first problem becomes a DomainError with its field."""
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc
