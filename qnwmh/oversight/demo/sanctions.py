"""Demo data of the sanctions part."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    pass
