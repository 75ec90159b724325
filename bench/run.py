"""Serve qnwmh with gunicorn on PostgreSQL and load every page of ``bench/targets.py``.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/run.py

For each target: requests/s and p50/p99 latency from ``wrk`` (N connections, fixed duration),
queries per request (measured once in-process with the test client), and the ratio of its
requests/s to the framework floor ``/-/floor/``. The server runs in production mode
(QNWMH_ENV=production, DEBUG off, manifest static files after ``collectstatic``) with only
SECURE_SSL_REDIRECT off, since the bench talks plain HTTP to 127.0.0.1.

In the same run, the bare Django reference (``bench/bare``: session and authentication
middleware, the floor's one query, JSON) is served by its own gunicorn with the same workers,
on the same database, so the floor is also seen against what Django itself costs here. With
``--before DIR`` (another checkout, e.g. ``git worktree add /tmp/before main``) every page is
also loaded from that tree's server, page by page beside this one.
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

from bench.targets import API_ROLES, ROLES, TARGETS, Target, resolve  # noqa: E402

HOST = "127.0.0.1"
P99_TARGET_MS = 100.0
RATIO_TARGET = 0.5
# Issue 15's verdict: a page keeps at least half the floor's req/s and at most twice its p99.
P99_FLOOR_FACTOR = 2.0
# Issue 15's targets for the floors themselves.
FLOOR_VS_BARE = 0.8
LAYOUT_VS_FLOOR = 0.6
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


def bare_login(port: int, username: str, password: str) -> str:
    """A session on the bare reference (its own sign-in view); return the Cookie header."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    form = urlencode({"username": username, "password": password})
    conn.request(
        "POST",
        "/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    response.read()
    jar = _cookies(response)
    conn.close()
    if response.status != 204 or "sessionid" not in jar:
        raise SystemExit(f"bare login as {username} failed: HTTP {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def start_server(
    env: dict[str, str],
    port: int,
    workers: int,
    threads: int,
    app: str = "qnwmh.wsgi:application",
    tree: Path = ROOT,
) -> subprocess.Popen[bytes]:
    cmd = [
        str(GUNICORN),
        app,
        "--chdir",
        str(tree),
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
    proc = subprocess.Popen(cmd, cwd=tree, env=env, start_new_session=True)
    deadline = time.monotonic() + 120  # four workers importing on a loaded machine
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
    raise SystemExit(f"gunicorn ({app}) did not answer within 120 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# Draining between targets ------------------------------------------------------------------

# A slow target can leave every worker's queue full and abandoned queries running in the
# database well after wrk stops; the next target would be measured against that backlog.
DRAIN_SAMPLES = 5  # consecutive floor answers within the normal time
DRAIN_FACTOR = 3.0  # "normal": within this many times the floor's alone time, at least 20 ms
DRAIN_LIMIT_S = 60.0  # then the server is restarted and the stray queries cancelled


def _floor_ms(port: int) -> float | None:
    """One unauthenticated floor request's time, or None when it fails."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=5)
        started = time.perf_counter()
        conn.request("GET", "/-/floor/")
        response = conn.getresponse()
        response.read()
        conn.close()
    except OSError:
        return None
    return (time.perf_counter() - started) * 1000 if response.status == 200 else None


def floor_baseline(port: int) -> float:
    """The floor's median time alone on a quiet server: what drained means."""
    times = [_floor_ms(port) for _ in range(21)]
    return statistics.median(t for t in times if t is not None)


def _busy_queries() -> int:
    """Queries still running in the bench database besides this process's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _cancel_busy_queries() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND state = 'active' AND backend_type = 'client backend' "
            "AND pid <> pg_backend_pid()"
        )


def drained(port: int, baseline_ms: float, limit_s: float = DRAIN_LIMIT_S) -> float | None:
    """Wait until the database runs no query of the last target and the server answers
    the floor ``DRAIN_SAMPLES`` times in a row in its normal time; the seconds that took,
    or None after ``limit_s``."""
    normal = max(baseline_ms * DRAIN_FACTOR, 20.0)
    started = time.monotonic()
    in_a_row = 0
    while time.monotonic() - started < limit_s:
        if _busy_queries():
            in_a_row = 0
            time.sleep(0.2)
            continue
        ms = _floor_ms(port)
        in_a_row = in_a_row + 1 if ms is not None and ms <= normal else 0
        if in_a_row >= DRAIN_SAMPLES:
            return time.monotonic() - started
        if not in_a_row:
            time.sleep(0.2)
    return None


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
    p99_factor: float = 0.0  # its p99 over the floor's
    before: Result | None = None  # the same page served by the --before tree
    drain_s: float = 0.0  # how long the server took to drain after it; -1: restarted


def bare_target() -> Target:
    return Target("bare Django", "/-/floor/", "bare")


def measure_in_process(results: list[Result], repeat: int) -> None:
    """Each page through the test client in this process, same settings as the server: the
    queries of one request, and the median time of ``repeat`` requests one at a time (the
    cost of a page without concurrency, SQL included)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qnwmh.accounts.models import User

    for r in results:
        if r.target.role == "bare":
            continue  # another project: measured over HTTP only
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
    """Load one page with wrk: a warm-up, then the measured run, into ``r``."""
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


def verdict15(r: Result) -> str:
    """Issue 15: >= 0.5 of the floor's req/s AND p99 <= 2x the floor's p99, same run."""
    if r.target.floor or r.target.role == "bare":
        return ""
    problems = []
    if r.ratio < RATIO_TARGET:
        problems.append(f"req/s {r.ratio:.2f} of floor")
    if r.p99_factor > P99_FLOOR_FACTOR:
        problems.append(f"p99 {r.p99_factor:.1f}x floor")
    if r.errors:
        problems.append(f"{r.errors} errors")
    return "met" if not problems else "MISSED: " + ", ".join(problems)


def set_ratios(results: list[Result]) -> None:
    floor = next(r for r in results if r.target.floor)
    layout = next(r for r in results if r.target.layout)
    for r in results:
        r.ratio = r.rps / floor.rps if floor.rps else 0.0
        r.layout_ratio = r.rps / layout.rps if layout.rps else 0.0
        r.p99_factor = r.p99_ms / floor.p99_ms if floor.p99_ms else 0.0


def floors_summary(results: list[Result]) -> list[str]:
    """Issue 15's two floor ratios: the platform's floor against bare Django, the layout
    against the floor."""
    bare = next((r for r in results if r.target.role == "bare"), None)
    floor = next(r for r in results if r.target.floor)
    layout = next(r for r in results if r.target.layout)
    lines = []
    if bare is not None and bare.rps:
        ratio = floor.rps / bare.rps
        mark = "met" if ratio >= FLOOR_VS_BARE else "MISSED"
        lines.append(f"floor / bare Django: {ratio:.2f} (target >= {FLOOR_VS_BARE}: {mark})")
    mark = "met" if layout.ratio >= LAYOUT_VS_FLOOR else "MISSED"
    lines.append(f"layout / floor: {layout.ratio:.2f} (target >= {LAYOUT_VS_FLOOR}: {mark})")
    return lines


def report(results: list[Result], args: argparse.Namespace) -> str:
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    compare = bool(args.before)
    head = "| page | role | path | queries | alone ms | req/s | p50 ms | p99 ms | vs floor "
    head += "| p99 vs floor | vs layout | target | #15 verdict |"
    if compare:
        head += " before req/s | before p99 ms | before vs floor | before #15 |"
    lines = [
        f"{args.connections} connections, {args.duration} s per page "
        f"after {args.warmup} s warm-up, gunicorn {args.workers} workers x {args.threads} "
        f"threads; load average at the end {load}",
        "",
        *floors_summary(results),
        "",
        head,
        "| --- " * 3 + "| ---: " * 8 + "| --- | --- |" + (" ---: | ---: | ---: | --- |" * compare),
    ]
    for r in results:
        queries = "–" if r.target.role == "bare" else str(r.queries)
        line = (
            f"| {r.target.name} | {r.target.role} | `{unquote(r.url)}` | {queries} | "
            f"{r.solo_ms:.1f} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.ratio:.2f} | {r.p99_factor:.2f} | {r.layout_ratio:.2f} | {verdict(r)} "
            f"| {verdict15(r)} |"
        )
        if compare:
            b = r.before
            line += (
                f" {b.rps:.0f} | {b.p99_ms:.1f} | {b.ratio:.2f} | {verdict15(b)} |"
                if b
                else " | | | |"
            )
        lines.append(line)
    if compare:
        lines += ["", "before: " + "; ".join(floors_summary([r.before or r for r in results]))]
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
    parser.add_argument("--bare-port", type=int, default=18766)
    parser.add_argument(
        "--data-dir",
        default="",
        help="DATA_DIR to keep between runs (static files collected once); default a temp dir",
    )
    parser.add_argument("--before-port", type=int, default=18767)
    parser.add_argument(
        "--before",
        default="",
        help="another checkout of qnwmh (e.g. main's tree) served beside this one, same DB",
    )
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
    env = server_env(Path(args.data_dir) if args.data_dir else workdir)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qnwmh.settings"
    collect_static(env, ROOT)

    import django

    django.setup()
    from qnwmh.collectives.models import Collective

    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    targets = [t for t in TARGETS if t.floor or t.layout or not wanted or t.name in wanted]
    ready, skipped = resolve(targets)
    for line in skipped:
        print(f"skipped: {line}", flush=True)
    results = [Result(t, url) for t, url in ready]
    results.insert(0, Result(bare_target(), bare_target().path))
    print(f"data: {Collective.objects.count()} collectives", flush=True)
    measure_in_process(results, args.repeat)
    for r in results[1:]:
        print(f"{r.target.name:<24} alone {r.solo_ms:6.1f} ms  {r.queries:3d} queries", flush=True)
        if r.status != 200:
            raise SystemExit(f"{r.target.name}: {r.url} answers HTTP {r.status} in-process")

    servers = {"platform": (args.port, "qnwmh.wsgi:application", ROOT)}
    servers["bare"] = (args.bare_port, "bench.bare.wsgi:application", ROOT)
    envs = dict.fromkeys(servers, env)
    if args.before:
        before = Path(args.before).resolve()
        envs["before"] = {**env, "DATA_DIR": str(Path(env["DATA_DIR"]) / "before")}
        collect_static(envs["before"], before)
        servers["before"] = (args.before_port, "qnwmh.wsgi:application", before)
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):  # stop gunicorn on the way out, whatever happens
        signal.signal(sig, lambda *_: sys.exit(f"bench interrupted (signal {_[0]})"))

    def start(name: str) -> None:
        port, app, tree = servers[name]
        procs[name] = start_server(envs[name], port, args.workers, args.threads, app, tree)

    try:
        for name in servers:
            start(name)
        baselines = {name: floor_baseline(servers[name][0]) for name in servers}
        sessions = sign_in_all(results, servers, args)

        def settle(name: str, r: Result) -> None:
            """Drain the server the last page loaded before the next page is measured."""
            took = drained(servers[name][0], baselines[name])
            if took is None:
                print(f"  {name} still busy after {DRAIN_LIMIT_S:.0f} s: restarted", flush=True)
                stop_server(procs[name])
                _cancel_busy_queries()
                start(name)
                r.drain_s = -1.0
            else:
                r.drain_s = took

        for r in results:
            name = "bare" if r.target.role == "bare" else "platform"
            if "before" in servers and r.target.role != "bare":
                r.before = Result(r.target, r.url, queries=r.queries)
                run_wrk(
                    r.before, servers["before"][0], sessions["before"][r.target.role], args, workdir
                )
                settle("before", r.before)
                print_line(r.before, "(before)")
            run_wrk(r, servers[name][0], sessions["platform"][r.target.role], args, workdir)
            settle(name, r)
            print_line(r)
    finally:
        for proc in procs.values():
            stop_server(proc)
        shutil.rmtree(workdir, ignore_errors=True)
    set_ratios(results)
    if args.before:
        set_ratios([r.before or r for r in results])
    print()
    print(report(results, args))


def print_line(r: Result, suffix: str = "") -> None:
    print(
        f"{r.target.name + suffix:<32} {r.rps:8.0f} req/s  p50 {r.p50_ms:6.1f} ms  "
        f"p99 {r.p99_ms:6.1f} ms  {r.queries:3d} queries  alone {r.solo_ms:6.1f} ms"
        f"{f'  {r.errors} ERRORS' if r.errors else ''}"
        f"{f'  drained in {r.drain_s:.1f} s' if r.drain_s >= 1 else ''}"
        f"{'  RESTARTED after it' if r.drain_s < 0 else ''}",
        flush=True,
    )


def sign_in_all(
    results: list[Result], servers: dict[str, tuple[int, str, Path]], args: argparse.Namespace
) -> dict[str, dict[str, list[str]]]:
    """Sessions (or API tokens) per role on each platform server, and on the bare one."""
    from qnwmh.core.demo_context import DEMO_PASSWORD

    roles = {r.target.role for r in results} - {"anonymous", "bare"}
    sessions: dict[str, dict[str, list[str]]] = {}
    for name, (port, _app, _tree) in servers.items():
        if name == "bare":
            continue
        jar: dict[str, list[str]] = {"anonymous": []}
        for role in sorted(roles - set(API_ROLES)):
            jar[role] = [login(port, ROLES[role], DEMO_PASSWORD) for _ in range(args.sessions)]
        for role in roles & set(API_ROLES):
            jar[role] = [api_token(port, API_ROLES[role], DEMO_PASSWORD)]
        sessions[name] = jar
    # The bare reference signs in as the floor's account, with as many sessions.
    floor_role = next(r.target.role for r in results if r.target.floor)
    sessions["platform"]["bare"] = [
        bare_login(servers["bare"][0], ROLES[floor_role], DEMO_PASSWORD)
        for _ in range(args.sessions)
    ]
    return sessions


def collect_static(env: dict[str, str], tree: Path) -> None:
    if (Path(env["DATA_DIR"]) / "static" / "staticfiles.json").exists():
        return  # a kept --data-dir: collected by an earlier run
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=tree,
        env=env,
        check=True,
    )


if __name__ == "__main__":
    main()
