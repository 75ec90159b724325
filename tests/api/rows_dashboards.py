"""API matrix rows of the dashboards app."""

from __future__ import annotations

from tests.api.test_api_matrix import ApiRow

ROWS: list[ApiRow] = []
