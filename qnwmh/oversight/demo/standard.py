"""Demo data of the standard part."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    pass
