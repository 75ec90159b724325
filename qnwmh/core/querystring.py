"""One reading of query-string parameters for every list, page and export.

A query string is typed by anyone, so nothing read here raises: a value that is not what the
parameter expects reads as "not given" and the filter is ignored. ``str.isdigit`` is not a test
for ``int``: it accepts "²" and other Unicode digits that ``int`` refuses, and a 30-digit id
passes it but overflows every integer column.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping
from typing import Any

# Ids and page numbers fit a PostgreSQL integer column; anything larger cannot match a row.
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")
# The platform's records start in the 2000s; a date far outside is a typo or a probe.
MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)


def as_int(raw: Any, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """A bounded integer written in ASCII digits, else None."""
    text = str(raw or "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def as_choice(raw: Any, allowed: Collection[str]) -> str:
    """One of ``allowed``, else the empty string."""
    text = str(raw or "")
    return text if text in allowed else ""


def as_date(
    raw: Any, *, low: datetime.date = MIN_DATE, high: datetime.date = MAX_DATE
) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD) within [low, high], else None."""
    text = str(raw or "").strip()
    if len(text) != 10:
        return None
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def as_text(raw: Any, *, max_length: int = 50) -> str:
    """Free text for a search box: trimmed, control characters dropped, cut to ``max_length``."""
    text = "".join(ch for ch in str(raw or "") if ch.isprintable())
    return text.strip()[:max_length]


class Query:
    """Typed access to a QueryDict (or any mapping of strings)."""

    def __init__(self, params: Mapping[str, Any]):
        self.params = params

    def number(self, name: str, *, low: int = 1, high: int = MAX_ID) -> int | None:
        return as_int(self.params.get(name), low=low, high=high)

    def choice(self, name: str, allowed: Collection[str]) -> str:
        return as_choice(self.params.get(name), allowed)

    def date(self, name: str) -> datetime.date | None:
        return as_date(self.params.get(name))

    def text(self, name: str, *, max_length: int = 50) -> str:
        return as_text(self.params.get(name), max_length=max_length)
