"""Page matrix rows of the oversight standard part."""

from typing import Any

ROWS: list[Any] = []
