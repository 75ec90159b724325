"""The background worker's own bookkeeping: who is running, and what a dead worker left.

Tasks are rows of ``django_tasks_db`` run by ``manage.py run_worker`` (the library's
``db_worker`` with the two additions below). A worker that is killed mid-task leaves its row
RUNNING for ever; at start and every ``SWEEP_SECONDS`` the worker puts such rows back in the
queue (same id, so a task can tell its own earlier, interrupted run from a duplicate). Tasks are
therefore written to be run again safely. Later apps add their own sweeps to ``sweeps`` in
``AppConfig.ready`` (e.g. notices re-queues e-mail whose task is gone).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60
sweeps: list[Callable[[], int]] = []


def _host() -> str:
    return socket.gethostname()[:30]


def new_worker_id() -> str:
    """``host:pid:random``: enough to tell later, on this host, whether the worker still lives."""
    return f"{_host()}:{os.getpid()}:{get_random_string(12)}"


def _alive(worker_id: str) -> bool:
    host, _sep, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _host() or not pid_text.isdigit():
        return True  # another machine's worker, or one we cannot judge: leave it be
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_orphans() -> int:
    """Put back in the queue every RUNNING task whose worker on this host is dead."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    orphans = [
        r.pk
        for r in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids")
        if r.worker_ids and not _alive(r.worker_ids[-1])
    ]
    if orphans:
        DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("re-queued %d task(s) left running by a dead worker", len(orphans))
    return len(orphans)


def sweep() -> int:
    """Everything a (re)starting worker does before it takes work; returns rows touched."""
    touched = requeue_orphans()
    for extra in sweeps:
        try:
            touched += extra()
        except Exception:
            logger.exception("worker sweep %s failed", getattr(extra, "__name__", extra))
    return touched


def unfinished(tasks: Iterable[Any]) -> bool:
    """Whether a run of any of these tasks is waiting or running (database queue only: other
    backends keep no record, and a run-on-enqueue one is never behind)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    paths = [t.module_path for t in tasks if isinstance(t.get_backend(), DatabaseBackend)]
    return bool(paths) and (
        DBTaskResult.objects.filter(
            task_path__in=paths, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).exists()
    )
