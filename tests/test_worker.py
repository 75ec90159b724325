"""The background worker for real: a subprocess running ``manage.py run_worker`` against the
test database (a file copy of it on SQLite), killed with SIGKILL in the middle of sending an
e-mail, then started again. Nothing is lost and the e-mail leaves once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qnwmh.notices import outbox
from qnwmh.notices.models import MailStatus, OutboundMail

ROOT = Path(__file__).resolve().parent.parent
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _database_url(tmp: Path) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp / 'worker.sqlite3'}"
    auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def _copy_sqlite(source: Any, target: Any) -> None:
    source.backup(target)


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_sends_once(tmp_path: Path, settings: Any) -> None:
    settings.TASKS = DB_QUEUE
    mail = outbox.queue_mail(to="body@example.cn", subject="主题", body="正文一次")
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    sqlite = connection.vendor == "sqlite"
    url = _database_url(tmp_path)
    file_db: sqlite3.Connection | None = None
    if sqlite:  # the test database lives in memory: the worker gets a file copy of it
        connection.ensure_connection()
        file_db = sqlite3.connect(tmp_path / "worker.sqlite3")
        _copy_sqlite(connection.connection, file_db)
    mail_dir = tmp_path / "mail"
    mark = tmp_path / "slow-send-started"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "WORKER_MAIL_DIR": str(mail_dir),
        "WORKER_SLOW_MARK": str(mark),
    }
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.1"]
    command += ["--no-startup-delay", "-v", "0"]

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, cwd=ROOT, env=env)

    def sent_files() -> list[Path]:
        return sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []

    def status() -> str:
        if file_db is not None:
            row = file_db.execute(
                "SELECT status FROM notices_outboundmail WHERE id = ?", (mail.pk,)
            ).fetchone()
            return str(row[0])
        return OutboundMail.objects.get(pk=mail.pk).status

    first = start()
    try:
        _wait(mark.exists, 60, "the first (slow) send to start")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert sent_files() == [] and status() == MailStatus.PENDING

    second = start()
    try:
        _wait(lambda: status() == MailStatus.SENT, 60, "the e-mail to be sent after a restart")
    finally:
        second.terminate()
        second.wait(20)

    if file_db is not None:
        _copy_sqlite(file_db, connection.connection)
        file_db.close()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and mail.attempts == 2  # the killed try counts
    (sent,) = sent_files()
    assert sent.read_text().count("正文一次") == 1
    (task,) = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
