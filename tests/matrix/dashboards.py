"""Page matrix rows of the dashboards: the city and the bodies read (each its own scope, which
the figures' lists narrow); managers and reviewers are refused."""

from __future__ import annotations

from tests.matrix import LOGIN, Row, expect

READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
# Asking for the annual report: the worker builds it (at once in tests), the asker is sent to
# the file's progress page.
ASK = expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=302)
V = "dashboards.view"

ROWS = [
    Row("dashboards:dashboard", READ, permission=V),
    Row("dashboards:export", READ, permission=V),
    Row("dashboards:export", READ, query="?chart=collectives_by_town", permission=V, label="one"),
    Row("dashboards:report", READ, permission=V),
    Row("dashboards:report_pdf", ASK, method="post", data=lambda w: {"year": 2026}, permission=V),
    Row("dashboards:report_xlsx", ASK, method="post", data=lambda w: {"year": 2026}, permission=V),
]
