"""The public intake rate limit holds across server processes: two gunicorn servers on
different ports share one database (a SQLite file here; a scratch PostgreSQL database when the
suite runs on PostgreSQL), and together they accept exactly the limit."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from qnwmh.supervision import ratelimit, services
from tests import schema_cache

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scratch_database(tmp_path: Path) -> Iterator[str]:
    """A database for the two servers, started from the migrated copy the test databases are
    made from when there is one (tests/schema_cache.py), so their ``migrate`` has nothing left
    to do; without one it migrates from scratch."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        migrated = schema_cache.sqlite_copy()
        if migrated:
            shutil.copyfile(migrated, tmp_path / "qnwmh.sqlite3")
        yield ""  # SQLite file under DATA_DIR
        return
    import psycopg

    name = f"{db['NAME']}_ratelimit"
    dsn = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    template = schema_cache.postgresql_template()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        suffix = f' TEMPLATE "{template}"' if found.fetchone() else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: Any, django_db_setup: Any) -> Iterator[dict[str, Any]]:
    # After this process's test database is made: the servers' database starts from its copy.
    tmp_path = tmp_path_factory.mktemp("ratelimit")
    for url in _scratch_database(tmp_path):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
        env.update(
            QNWMH_ENV="development",
            DEBUG="0",
            DATA_DIR=str(tmp_path),
            PYTHONPATH=str(ROOT),
            DJANGO_SETTINGS_MODULE="qnwmh.settings",
        )
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
        subprocess.run([PY, "manage.py", "migrate", "-v0"], **run)
        code = (
            subprocess.run(
                [
                    PY,
                    "manage.py",
                    "shell",
                    "-c",
                    "from tests import factories as f; "
                    "print(f.collective(f.body(), members=0).code)",
                ],
                **run,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        ports = [_free_port(), _free_port()]
        procs = [
            subprocess.Popen(
                [GUNICORN, "qnwmh.wsgi", "-b", f"127.0.0.1:{p}", "-w", "1", "--threads", "4"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for p in ports
        ]
        try:
            deadline = time.time() + 30
            for p in ports:
                while True:
                    try:
                        socket.create_connection(("127.0.0.1", p), timeout=0.2).close()
                        break
                    except OSError:
                        if time.time() > deadline:
                            raise
                        time.sleep(0.1)
            yield {"ports": ports, "code": code, "pids": {p.pid for p in procs}, "run": run}
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=10)


RESET = "from qnwmh.supervision.models import RateCounter; RateCounter.objects.all().delete()"


def _request(
    port: int, method: str, path: str, body: str = "", cookie: str = ""
) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    text = r.read().decode(errors="replace")
    return r.status, r.getheader("Set-Cookie") or "", text


def test_limit_holds_across_two_server_processes(two_servers):
    a, b = two_servers["ports"]
    path = f"/c/{two_servers['code']}/feedback/"
    status, set_cookie, _ = _request(a, "GET", path)
    assert status == 200
    token = re.search(r"csrftoken=([A-Za-z0-9]+)", set_cookie).group(1)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "kind": "complaint",
            "category": "attitude",
            "text": "多进程限流测试",
        }
    )
    limit = services.LIMITS["complaints_per_ip"][0]
    # Alternate the two servers: with per-process memory each would accept `limit` on its own.
    answers = [
        _request((a, b)[i % 2], "POST", path, body, f"csrftoken={token}")[0]
        for i in range(limit + 3)
    ]
    assert answers == [302] * limit + [429] * 3, answers


def test_limit_holds_under_concurrent_requests_to_both(two_servers):
    a, b = two_servers["ports"]
    subprocess.run([PY, "manage.py", "shell", "-c", RESET], **two_servers["run"])
    path = f"/c/{two_servers['code']}/feedback/"
    _, set_cookie, _ = _request(a, "GET", path)
    token = re.search(r"csrftoken=([A-Za-z0-9]+)", set_cookie).group(1)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "kind": "suggestion",
            "category": "other",
            "text": "并发限流测试",
        }
    )
    results: list[int] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        status = _request((a, b)[i % 2], "POST", path, body, f"csrftoken={token}")[0]
        with lock:
            results.append(status)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    limit = services.LIMITS["complaints_per_ip"][0]
    assert sorted(results) == [302] * limit + [429] * (16 - limit), results
    count = (
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from qnwmh.supervision.models import Complaint; "
                "print(Complaint.objects.filter(kind='suggestion').count())",
            ],
            **two_servers["run"],
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    assert int(count) == limit


@pytest.mark.django_db
def test_counter_windows_and_limits():
    assert all(ratelimit.hit("k", 3, 60, now=1000.0) for _ in range(3))
    assert not ratelimit.hit("k", 3, 60, now=1019.0)  # same window (960–1019)
    assert ratelimit.hit("k", 3, 60, now=1020.0)  # next window
    assert ratelimit.hit("other", 3, 60, now=1000.0)
    assert not ratelimit.hit("zero", 0, 60)
    assert ratelimit.purge_before(1020) == 2
