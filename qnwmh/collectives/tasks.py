"""The collectives app's background tasks (run by ``manage.py run_worker``)."""

from __future__ import annotations

from django_tasks import task

from qnwmh.collectives.importing import background
from qnwmh.collectives.services import eligibility_refresh_all


@task()
def refresh_eligibility() -> int:
    """Every collective's cached eligibility under the current rules (after a rules change).
    Safe to run again: it recomputes from the rows."""
    return eligibility_refresh_all()


@task()
def check_import(batch_id: int) -> str:
    """Check a stored import file and build its preview (``importing.background``)."""
    return background.run(background.CHECK, batch_id)


@task()
def apply_import(batch_id: int) -> str:
    """Write a previewed import batch, all rows or none (``importing.background``)."""
    return background.run(background.APPLY, batch_id)
