"""PostgreSQL: reviewers submitting the same application's sheets at the same moment; the
aggregate counts every sheet (each recompute locks the application). The control run
without the lock shows the lost update it prevents."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from qnwmh.certification.models import ApplicationResult
from qnwmh.certification.services import aggregation, scoring
from tests import factories as f
from tests import factories_certification as fcert
from tests.scoring_helpers import scores

N = 8


def _race() -> int:
    r = fcert.cert_round()
    area = fcert.area()
    collective = f.collective(f.body(), members=0)
    app = fcert.application(r, collective, status="recommended", area_=area)
    assignments = [fcert.assignment(app, fcert.reviewer(areas=[area])) for _ in range(N)]
    barrier = threading.Barrier(N)
    errors: list[str] = []

    def submit(a: Any) -> None:
        try:
            barrier.wait()
            scoring.save_sheet(
                f.actor(a.reviewer.user),
                assignment=a,
                score_set="site",
                scores=scores(80),
                submit=True,
            )
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in assignments]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    return ApplicationResult.objects.get(application=app).site_sheets


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_are_all_counted(monkeypatch: Any) -> None:
    assert _race() == N
    # Control: without the lock some recompute writes a result that misses a sheet.
    monkeypatch.setattr(aggregation, "lock", lambda model, pk: None)
    slow = aggregation._marks

    def slow_marks(*args: Any, **kw: Any) -> Any:
        import time

        out = slow(*args, **kw)
        time.sleep(0.05)  # widen the window between reading the sheets and writing
        return out

    monkeypatch.setattr(aggregation, "_marks", slow_marks)
    assert _race() < N
