"""Change stamps of a body's creation rows in a cycle (``CreationBodyStamp``).

Writers ``touch`` the stamps in their transaction (an upsert), and the rebuild stamps every
body that has creating collectives, so a body without a stamp has none. A reader takes the
stamps before it reads the rows, so what it caches under a stamp is never older than the
stamp; readers never write (they may run on a replica)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from qnwmh.creation.models import CreationBodyStamp


def touch(cycle_ids: Iterable[int], body_ids: Iterable[int]) -> None:
    rows = [
        CreationBodyStamp(cycle_id=c, body_id=b, stamp=uuid.uuid4().hex)
        for c in sorted(set(cycle_ids))
        for b in sorted(set(body_ids))
    ]
    if rows:
        CreationBodyStamp.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["cycle", "body"],
            update_fields=["stamp"],
        )


def stamps_of(cycle_id: int) -> dict[int, str]:
    """Every stamped body of the cycle: each body with creating collectives has one (their
    writers touched it, or the rebuild stamped it)."""
    return dict(CreationBodyStamp.objects.filter(cycle_id=cycle_id).values_list("body_id", "stamp"))
