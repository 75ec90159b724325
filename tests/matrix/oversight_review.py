"""Page matrix rows of the oversight review part."""

from typing import Any

ROWS: list[Any] = []
