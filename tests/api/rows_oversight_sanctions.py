"""API matrix rows of the oversight sanctions part."""

from typing import Any

ROWS: list[Any] = []
