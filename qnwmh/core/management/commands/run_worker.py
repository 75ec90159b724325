"""Run the background worker: ``manage.py run_worker`` (see ``qnwmh.core.worker``).

The library's ``db_worker`` with a worker id that names this process, and a sweep at start and
every minute (tasks left running by a dead worker go back in the queue; apps' own sweeps).
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from qnwmh.core import worker


def _sweep_every(seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        try:
            close_old_connections()
            worker.sweep()
        except Exception:
            worker.logger.exception("worker sweep failed")
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = "Run the background worker (tasks from the database)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker.new_worker_id(), reload=False)
        parser.add_argument(
            "--sweep-seconds",
            type=float,
            default=worker.SWEEP_SECONDS,
            help="How often to look for work a dead worker left (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sweep_seconds = float(options.pop("sweep_seconds"))
        worker.sweep()
        stop = threading.Event()
        threading.Thread(target=_sweep_every, args=(sweep_seconds, stop), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
