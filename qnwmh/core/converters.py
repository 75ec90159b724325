"""Path converters. ``<id:pk>`` is a database id: 1–10 ASCII digits, at most 2³¹−1, so a
30-digit id in a URL is simply "not found" instead of overflowing the integer column."""

from __future__ import annotations

from qnwmh.core.querystring import MAX_ID


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver reads this as "no match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)
