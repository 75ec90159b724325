"""Serve qnwmh with gunicorn on PostgreSQL and load every page of ``bench/targets.py``.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/run.py

For each target: requests/s and p50/p99 latency from ``wrk`` (N connections, fixed duration),
queries per request (measured once in-process with the test client), and the ratio of its
requests/s to the framework floor ``/-/floor/``. The server runs in production mode
(QNWMH_ENV=production, DEBUG off, manifest static files after ``collectstatic``) with only
SECURE_SSL_REDIRECT off, since the bench talks plain HTTP to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.targets import API_ROLES, PARAMS, ROLES, TARGETS, Target  # noqa: E402

HOST = "127.0.0.1"
P99_TARGET_MS = 100.0
RATIO_TARGET = 0.5
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def server_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "QNWMH_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "DATA_DIR": str(data_dir),
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


# Logging in ------------------------------------------------------------------------------


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        jar.update({k: m.value for k, m in parsed.items()})
    return jar


def login(port: int, username: str, password: str) -> str:
    """A real login: GET the form, POST it with the CSRF token; return the Cookie header."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    jar = _cookies(response)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if response.status != 200 or not match or "csrftoken" not in jar:
        raise SystemExit(f"login page: HTTP {response.status}, no CSRF token")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
        },
    )
    response = conn.getresponse()
    response.read()
    jar.update(_cookies(response))
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login as {username} failed: HTTP {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def api_token(port: int, username: str, password: str) -> str:
    """A token from ``POST /api/v1/auth/token``; return the Authorization header value."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    body = json.dumps({"username": username, "password": password, "name": "bench"})
    conn.request(
        "POST", "/api/v1/auth/token", body=body, headers={"Content-Type": "application/json"}
    )
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"API token for {username}: HTTP {response.status}")
    return f"Bearer {json.loads(data)['token']}"


# The server ------------------------------------------------------------------------------


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    cmd = [
        str(GUNICORN),
        "qnwmh.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--access-logfile",
        "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
    ]
    print("server:", " ".join(cmd[1:]), flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/-/floor/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        time.sleep(0.3)
    stop_server(proc)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# Measuring -------------------------------------------------------------------------------


@dataclass
class Result:
    target: Target
    url: str
    status: int = 0
    size: int = 0
    queries: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    ratio: float = 0.0
    layout_ratio: float = 0.0  # against the layout floor
    solo_ms: float = 0.0  # median time of one request alone, in-process


def measure_in_process(results: list[Result], repeat: int) -> None:
    """Each page through the test client in this process, same settings as the server: the
    queries of one request, and the median time of ``repeat`` requests one at a time (the
    cost of a page without concurrency, SQL included)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qnwmh.accounts.models import User

    for r in results:
        client = Client(HTTP_HOST=HOST)
        if r.target.role in API_ROLES:
            from qnwmh.access.actor import actor_for
            from qnwmh.access.tokens import token_issue

            user = User.objects.get(username=API_ROLES[r.target.role])
            _token, secret = token_issue(actor_for(user, HOST), user=user, name="bench")
            client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {secret}")
        elif r.target.role != "anonymous":
            client.force_login(User.objects.get(username=ROLES[r.target.role]))
        client.get(r.url)  # warm: first-request caches are not the steady state
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(r.url)
        r.status, r.size, r.queries = response.status_code, len(response.content), len(ctx)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(r.url)
            times.append((time.perf_counter() - started) * 1000)
        r.solo_ms = statistics.median(times)


WRK_LUA = """
cookies = %s
header = %s
local n = 0
request = function()
  n = n + 1
  if #cookies == 0 then return wrk.format(nil, nil) end
  return wrk.format(nil, nil, {[header] = cookies[(n %% #cookies) + 1]})
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    r: Result, port: int, cookies: list[str], args: argparse.Namespace, workdir: Path
) -> None:
    script = workdir / "cookies.lua"
    header = "Authorization" if r.target.role in API_ROLES else "Cookie"
    script.write_text(
        WRK_LUA % ("{" + ", ".join(json.dumps(c) for c in cookies) + "}", json.dumps(header))
    )
    url = f"http://{HOST}:{port}{r.url}"
    common = [
        "wrk",
        "-t",
        str(args.threads_wrk),
        "-c",
        str(args.connections),
        "-s",
        str(script),
        "--timeout",
        f"{args.timeout}s",
    ]
    subprocess.run([*common, "-d", f"{args.warmup}s", url], check=True, capture_output=True)
    out = subprocess.run(
        [*common, "-d", f"{args.duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if args.verbose:
        print(out)
    r.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    r.p50_ms = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    r.p99_ms = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r.errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(g) for g in errors.groups()) if errors else 0
    )


def verdict(r: Result) -> str:
    """Target: p99 <= 100 ms, no errors, and (except the floor) >= 0.5 of the floor's req/s."""
    problems = []
    if r.p99_ms > P99_TARGET_MS or (r.errors and not r.p99_ms):  # all timed out
        problems.append("p99")
    if not r.target.floor and r.ratio < RATIO_TARGET:
        problems.append("ratio")
    if r.errors:
        problems.append(f"{r.errors} errors")
    return "met" if not problems else "MISSED: " + ", ".join(problems)


def report(results: list[Result], args: argparse.Namespace) -> str:
    lines = [
        f"{args.connections} connections, {args.duration} s per page "
        f"after {args.warmup} s warm-up, gunicorn {args.workers} workers x {args.threads} threads",
        "",
        "| page | role | path | queries | alone ms | req/s | p50 ms | p99 ms | vs floor "
        "| vs layout | target |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.target.name} | {r.target.role} | `{unquote(r.url)}` | {r.queries} | "
            f"{r.solo_ms:.1f} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.ratio:.2f} | {r.layout_ratio:.2f} | {verdict(r)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads-wrk", type=int, default=2)
    parser.add_argument("--duration", type=int, default=15, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument(
        "--sessions",
        type=int,
        default=16,
        help="distinct logged-in sessions per role, used in turn",
    )
    parser.add_argument("--timeout", type=int, default=10, help="wrk request timeout, s")
    parser.add_argument("--repeat", type=int, default=9, help="in-process requests per page")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument(
        "--only", default="", help="comma-separated target names (the floors always run)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print wrk's own output")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database made by bench/generate.py")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed (apt install wrk)")

    workdir = Path(tempfile.mkdtemp(prefix="qnwmh-bench-"))
    env = server_env(workdir)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qnwmh.settings"
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    import django

    django.setup()
    from qnwmh.collectives.models import Collective
    from qnwmh.core.demo_context import DEMO_PASSWORD

    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    targets = [t for t in TARGETS if t.floor or t.layout or not wanted or t.name in wanted]
    params = {
        name: fn()
        for name, fn in PARAMS.items()
        if any("{" + name + "}" in t.path for t in targets)
    }
    results = [Result(t, t.path.format(**params)) for t in targets]
    print(f"data: {Collective.objects.count()} collectives", flush=True)
    measure_in_process(results, args.repeat)
    for r in results:
        print(f"{r.target.name:<24} alone {r.solo_ms:6.1f} ms  {r.queries:3d} queries", flush=True)
        if r.status != 200:
            raise SystemExit(f"{r.target.name}: {r.url} answers HTTP {r.status} in-process")

    proc = start_server(env, args.port, args.workers, args.threads)
    for sig in (signal.SIGINT, signal.SIGTERM):  # stop gunicorn on the way out, whatever happens
        signal.signal(sig, lambda *_: sys.exit(f"bench interrupted (signal {_[0]})"))
    try:
        roles = {t.role for t in targets} - {"anonymous"} - set(API_ROLES)
        cookies = {
            role: [login(args.port, ROLES[role], DEMO_PASSWORD) for _ in range(args.sessions)]
            for role in sorted(roles)
        }
        for role in {t.role for t in targets} & set(API_ROLES):
            cookies[role] = [api_token(args.port, API_ROLES[role], DEMO_PASSWORD)]
        cookies["anonymous"] = []
        for r in results:
            run_wrk(r, args.port, cookies[r.target.role], args, workdir)
            print(
                f"{r.target.name:<24} {r.rps:8.0f} req/s  p50 {r.p50_ms:6.1f} ms  "
                f"p99 {r.p99_ms:6.1f} ms  {r.queries:3d} queries  alone {r.solo_ms:6.1f} ms"
                f"{f'  {r.errors} ERRORS' if r.errors else ''}",
                flush=True,
            )
    finally:
        stop_server(proc)
        shutil.rmtree(workdir, ignore_errors=True)
    floor = next(r for r in results if r.target.floor)
    layout = next(r for r in results if r.target.layout)
    for r in results:
        r.ratio = r.rps / floor.rps if floor.rps else 0.0
        r.layout_ratio = r.rps / layout.rps if layout.rps else 0.0
    print()
    print(report(results, args))


if __name__ == "__main__":
    main()
