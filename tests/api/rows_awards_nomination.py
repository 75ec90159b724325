"""API matrix rows of the awards nomination part (joined in test_api_matrix)."""

from __future__ import annotations

from typing import Any

ROWS: list[Any] = []
