"""The collectives app's background tasks (run by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import task

from qnwmh.collectives.services import eligibility_refresh_all


@task()
def refresh_eligibility() -> int:
    """Every collective's cached eligibility under the current rules (after a rules change).
    Safe to run again: it recomputes from the rows."""
    return eligibility_refresh_all()
