"""API matrix rows of the oversight spotcheck part."""

from typing import Any

ROWS: list[Any] = []
