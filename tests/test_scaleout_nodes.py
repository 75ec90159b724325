"""Several web nodes behind one address: two gunicorn processes with production settings on the
one test database (PostgreSQL; and the replica and S3 server when configured, as in CI). A
session begun on one node works on the other, a login lockout recorded by one holds on the
other, the cache is one for every process, and a file uploaded through one node is served by
the other. Nothing of this may live in one process."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth.hashers import make_password
from django.db import connection, connections
from django.urls import reverse

from qnwmh.evidence.models import EvidenceFile
from tests import creation_helpers as ch
from tests import evidence_files as ef
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
FAILURE_LIMIT = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _url_of(settings_dict: dict[str, Any], name: str) -> str:
    s = settings_dict
    auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def production_env(data_dir: Path) -> dict[str, str]:
    """Production settings on the test database (and the replica and S3 server if set)."""
    name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "QNWMH_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "qnwmh.settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP here; production's proxy terminates TLS
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": _url_of(connection.settings_dict, name),
        "LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    if "replica" in connections.settings:
        env["DATABASE_REPLICA_URL"] = _url_of(connections["replica"].settings_dict, name)
    if os.environ.get("S3_ENDPOINT_URL"):
        env |= {"STORAGE_BACKEND": "s3", "S3_BUCKET": f"qnwmh-nodes-{uuid.uuid4().hex[:10]}"}
    else:
        env["MEDIA_ROOT"] = str(data_dir / "media")  # one directory both nodes mount
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _make_bucket(env: dict[str, str]) -> None:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        aws_access_key_id=env.get("S3_ACCESS_KEY", "testing"),
        aws_secret_access_key=env.get("S3_SECRET_KEY", "testing"),
        region_name="us-east-1",
    ).create_bucket(Bucket=env["S3_BUCKET"])


@dataclass
class Node:
    base: str
    process: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base + path


@dataclass
class Browser:
    """A visitor's cookies, sent to whichever node it asks (production cookies are Secure, which
    a cookie jar would keep from plain HTTP; the proxy would have spoken HTTPS)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        answer = requests.request(
            method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        for cookie in answer.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        return answer

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def log_in(self, node: Node, username: str, password: str) -> requests.Response:
        self.get(node.url(reverse("accounts:login")))
        return self.post(
            node.url(reverse("accounts:login")),
            data={"username": username, "password": password},
        )


def _wait_until_up(node: Node) -> None:
    deadline = time.monotonic() + 120
    while True:
        assert node.process.poll() is None, "a node exited at start (see its output above)"
        try:
            if requests.get(node.url(reverse("accounts:login")), timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # still starting (its first request imports the project)
        assert time.monotonic() < deadline, "a node did not answer within 120 s"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def cluster(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[dict[str, str], Node, Node]]:
    """Two gunicorn nodes (one worker each) sharing the database, cache and media."""
    env = production_env(tmp_path_factory.mktemp("nodes"))
    if "S3_BUCKET" in env:
        _make_bucket(env)
    # The nodes' WhiteNoise storage needs the collected files and their manifest.
    _manage(
        {**env, "DJANGO_SETTINGS_MODULE": "tests.node_static_settings"},
        "collectstatic",
        "--no-input",
        "-v",
        "0",
    )
    nodes = []
    try:
        for _ in range(2):
            port = _free_port()
            command = [sys.executable, "-m", "gunicorn", "qnwmh.wsgi", "-b", f"127.0.0.1:{port}"]
            command += ["-w", "1", "--timeout", "120", "--log-level", "warning"]
            nodes.append(
                Node(f"http://127.0.0.1:{port}", subprocess.Popen(command, cwd=ROOT, env=env))
            )
        for node in nodes:
            _wait_until_up(node)
        yield env, nodes[0], nodes[1]
    finally:
        for node in nodes:
            node.process.terminate()
        for node in nodes:
            node.process.wait(timeout=30)


def production_password(user: Any) -> str:
    """The factories' password, hashed as production checks it (tests hash with MD5)."""
    user.password = make_password(f.PASSWORD, hasher="argon2")
    user.save(update_fields=["password"])
    return f.PASSWORD


def test_a_session_begun_on_one_node_is_used_and_ended_on_the_other(
    cluster: Any, world: Any
) -> None:
    _env, a, b = cluster
    user = world.users["city_admin"]
    visitor = Browser()
    assert visitor.log_in(a, user.username, production_password(user)).status_code == 302
    home = visitor.get(b.url(reverse("core:home")))
    assert home.status_code == 200
    assert str(user) in home.text and reverse("accounts:logout") in home.text  # signed in
    # Signing out on the second node ends the session on the first.
    assert visitor.post(b.url(reverse("accounts:logout"))).status_code == 302
    again = visitor.get(a.url(reverse("core:home")))
    assert again.status_code == 302
    assert reverse("accounts:login") in again.headers["Location"]


def test_a_lockout_recorded_by_one_node_holds_on_the_other(cluster: Any, world: Any) -> None:
    _env, a, b = cluster
    username = world.users["body_admin"].username
    password = production_password(world.users["body_admin"])
    guesser = Browser()
    for _ in range(FAILURE_LIMIT):
        assert guesser.log_in(a, username, "wrong-password-0").status_code in (200, 429)
    # The right password, on the other node, from the same address: still locked.
    locked = Browser().log_in(b, username, password)
    assert locked.status_code == 429
    assert "sessionid" not in locked.cookies


def test_every_process_shares_one_cache(cluster: Any) -> None:
    env, _a, _b = cluster
    token = secrets.token_hex(8)
    put = f"from django.core.cache import cache; cache.set('scaleout-probe', {token!r}, 300)"
    _manage(env, "shell", "-v", "0", "-c", put)
    get = "from django.core.cache import cache; print(cache.get('scaleout-probe'))"
    assert _manage(env, "shell", "-v", "0", "-c", get).strip() == token  # another process reads it
    with connection.cursor() as cursor:  # … from the database, where every node finds it
        cursor.execute(
            "SELECT count(*) FROM qnwmh_cache WHERE cache_key LIKE %s", ["%scaleout-probe"]
        )
        assert cursor.fetchone()[0] == 1


def test_an_upload_through_one_node_is_served_by_the_other(cluster: Any, world: Any) -> None:
    _env, a, b = cluster
    cycle = ch.cycle()
    ch.register(world.collective, cycle)
    entry = ch.entry(world, cycle, n_photos=0, kind="job_drill")
    visitor = Browser()
    manager = world.users["manager"]
    assert visitor.log_in(a, manager.username, production_password(manager)).status_code == 302
    posted = visitor.post(
        a.url(reverse("creation:entry_attach", args=[world.collective.code, entry.code])),
        files={"attachments": ("节点.jpg", ef.jpeg(), "image/jpeg")},
    )
    assert posted.status_code == 302
    evidence = EvidenceFile.objects.get(original_name="节点.jpg")
    from_a = visitor.get(a.url(reverse("evidence:file", args=[evidence.code])))
    from_b = visitor.get(b.url(reverse("evidence:file", args=[evidence.code])))
    assert from_a.status_code == from_b.status_code == 200
    assert from_b.content == from_a.content
    assert from_b.content.startswith(b"\xff\xd8")  # the kept JPEG, from the shared storage


def test_production_settings_keep_no_state_in_a_process(cluster: Any) -> None:
    """What a node would otherwise keep to itself: sessions, cache, messages, lockouts, tasks."""
    env, _a, _b = cluster
    probe = (
        "from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.MESSAGE_STORAGE, "
        "s.AXES_HANDLER, s.TASKS['default']['BACKEND'], s.STORAGES['default']['BACKEND'])"
    )
    values = _manage(env, "shell", "-v", "0", "-c", probe).split()
    assert values[0] == "django.contrib.sessions.backends.db"
    assert values[1] == "django.core.cache.backends.db.DatabaseCache"
    assert values[2] == "django.contrib.messages.storage.fallback.FallbackStorage"
    assert values[3] == "qnwmh.accounts.lockout.TwoTierHandler"  # axes' database handler
    assert values[4] == "django_tasks_db.DatabaseBackend"
    assert not re.search(r"locmem|filebased|dummy", " ".join(values), re.IGNORECASE)
    if "S3_BUCKET" in env:
        assert values[5] == "storages.backends.s3.S3Storage"
