"""API matrix rows of the dashboards app: the figures, for the city and the bodies (each over
its own scope); managers and reviewers are refused."""

from __future__ import annotations

from tests.api.test_api_matrix import AUTH, ApiRow, expect

READ = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200)

ROWS: list[ApiRow] = [
    ApiRow("get", "/dashboards/figures", READ),
]
