"""The background worker for real: a subprocess running ``manage.py run_worker`` against the
test database (a file copy of it on SQLite), killed with SIGKILL in the middle of sending an
e-mail (of building a file), then started again. Nothing is lost and the e-mail leaves once
(the file is built whole, for its owner)."""

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


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_worker_is_killed_is_built_on_restart(tmp_path: Path, settings: Any) -> None:
    from django.contrib.auth import get_user_model

    from qnwmh.access.actor import actor_for
    from qnwmh.audit.models import AuditEntry
    from qnwmh.downloads import jobs
    from qnwmh.downloads.models import FileStatus, GeneratedFile
    from tests.worker_jobs import slow_first_file

    settings.TASKS = DB_QUEUE
    owner = get_user_model().objects.create_user(username="owner", password="x" * 12)
    jobs.start(actor_for(owner), run=slow_first_file, kwargs={"rows": 2000}, label="行", total=2000)
    generated = GeneratedFile.objects.get()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    sqlite = connection.vendor == "sqlite"
    file_db: sqlite3.Connection | None = None
    if sqlite:
        connection.ensure_connection()
        file_db = sqlite3.connect(tmp_path / "worker.sqlite3")
        _copy_sqlite(connection.connection, file_db)
    mark = tmp_path / "slow-build-started"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": _database_url(tmp_path),
        "WORKER_MAIL_DIR": str(tmp_path / "mail"),
        "WORKER_SLOW_MARK": str(tmp_path / "unused"),
        "WORKER_JOB_MARK": str(mark),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.1"]
    command += ["--no-startup-delay", "-v", "0"]

    def row() -> tuple[str, int]:
        if file_db is not None:
            status, done = file_db.execute(
                "SELECT status, done FROM downloads_generatedfile WHERE id = ?", (generated.pk,)
            ).fetchone()
            return str(status), int(done)
        current = GeneratedFile.objects.get(pk=generated.pk)
        return current.status, current.done

    first = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait(mark.exists, 60, "the first (slow) build to start")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    status, done = row()
    assert status == FileStatus.RUNNING and 0 < done < 2000  # its progress was shown

    second = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait(lambda: row()[0] == FileStatus.READY, 60, "the file to be built after a restart")
    finally:
        second.terminate()
        second.wait(20)

    if file_db is not None:
        _copy_sqlite(file_db, connection.connection)
        file_db.close()
    generated.refresh_from_db()
    assert generated.status == FileStatus.READY and generated.done == 2000
    stored = (tmp_path / "media" / generated.storage_name).read_text()
    assert stored.count("owner,") == 2000 and stored.endswith("owner,1999\n")
    moves = AuditEntry.objects.filter(object_id=str(generated.pk), actor_label="system")
    assert [(e.code, e.data.get("restarted")) for e in moves.order_by("id")] == [
        ("downloads.file.build_started", False),
        ("downloads.file.build_started", True),  # the restart starts the file over
        ("downloads.file.built", None),
    ]
    (task,) = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
