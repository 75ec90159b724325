"""Complaint intake under load (issue 6): 50 clients file complaints for 60 s through the API.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/intake.py

gunicorn serves the platform in production mode as in ``run.py``, with ``PROXY_COUNT=1``: wrk
plays the TLS proxy and sends each request with its own client address in X-Forwarded-For, as
an nginx in front would, so the per-IP limit (5 an hour) sees 50 visitors, not one. Nothing is
raised or switched off: every request passes the real per-IP and per-collective rate limits
(database counters), the deadline arithmetic, the insert and its audit entry, each in one
transaction. Each request picks one of ``--collectives`` random active collectives, so the
per-collective limit (30 an hour) is not reached either.

Prints throughput, latency percentiles and every response status; then checks the database:
the number of complaints added must equal the number of 201 answers (nothing lost, nothing
doubled). Exit status 1 when any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import HOST, _ms, server_env, start_server, stop_server  # noqa: E402

PATH = "/api/v1/supervision/requests"

# One Lua state per wrk thread: `id` is set by setup(); each request gets the next address in
# 10.<thread>.x.y and the next collective. response() counts statuses, done() adds them up.
WRK_LUA = r"""
local codes = %(codes)s
local services = %(services)s
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  statuses = {}
end
function request()
  n = n + 1
  local ip = string.format("10.%%d.%%d.%%d", id, math.floor(n / 250) %% 250, n %% 250 + 1)
  local body = string.format(
    '{"collective_code": "%%s", "service_code": "%%s", "description": "%%s"}',
    codes[(n * 7919 + id * 104729) %% #codes + 1], services[n %% #services + 1],
    "窗口排队时间较长，工作人员态度一般，希望改进。第" .. n .. "条")
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                  ["X-Forwarded-For"] = ip}, body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %%d %%d\n", status, count))
  end
end
"""


def complaint_count() -> int:
    from qnwmh.supervision.models import Complaint

    return Complaint.objects.count()


def run_wrk(script: Path, port: int, args: argparse.Namespace, seconds: int) -> str:
    cmd = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-s", str(script)]
    cmd += ["-d", f"{seconds}s", "--timeout", "10s", "--latency", f"http://{HOST}:{port}{PATH}"]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--collectives", type=int, default=5_000)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from qnwmh.collectives.models import Collective, CollectiveStatus
    from qnwmh.supervision.api import _service_codes

    active = Collective.objects.filter(status=CollectiveStatus.ACTIVE)
    codes = list(active.values_list("code", flat=True).order_by("id"))
    codes = random.Random(args.seed).sample(codes, min(args.collectives, len(codes)))
    services = [code for code, _, _ in _service_codes()]

    with tempfile.TemporaryDirectory(prefix="qnwmh-intake-") as tmp:
        workdir = Path(tmp)
        script = workdir / "intake.lua"
        script.write_text(
            WRK_LUA
            % {
                "codes": "{" + ", ".join(json.dumps(c) for c in codes) + "}",
                "services": "{" + ", ".join(json.dumps(s) for s in services) + "}",
            }
        )
        env = server_env(workdir / "data")
        env["PROXY_COUNT"] = "1"
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        proc = start_server(env, args.port, args.workers, args.threads)
        try:
            before = complaint_count()
            warm = run_wrk(script, args.port, args, args.warmup)
            out = run_wrk(script, args.port, args, args.duration)
            after = complaint_count()
        finally:
            stop_server(proc)
    if args.verbose:
        print(out)

    statuses: dict[int, int] = {}
    for text in (warm, out):
        for status, count in re.findall(r"^status (\d+) (\d+)$", text, re.M):
            statuses[int(status)] = statuses.get(int(status), 0) + int(count)
    measured = {int(s): int(c) for s, c in re.findall(r"^status (\d+) (\d+)$", out, re.M)}
    requests = sum(measured.values())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pct = {p: _ms(re.search(rf"\s{p}%\s+(\S+)", out).group(1)) for p in (50, 75, 90, 99)}  # type: ignore[union-attr]
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in sock.groups()) if sock else 0
    failed = sum(c for s, c in statuses.items() if s != 201) + socket_errors  # warm-up too
    created = statuses.get(201, 0)
    print(
        f"\n{args.connections} clients for {args.duration} s (after {args.warmup} s warm-up), "
        f"gunicorn {args.workers} workers x {args.threads} threads\n\n"
        "| requests | req/s | p50 ms | p75 ms | p90 ms | p99 ms | statuses | socket errors |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n"
        f"| {requests:,} | {rps:.1f} | {pct[50]:.1f} | {pct[75]:.1f} | {pct[90]:.1f} | "
        f"{pct[99]:.1f} | {', '.join(f'{s}: {c:,}' for s, c in sorted(measured.items()))} | "
        f"{socket_errors} |\n"
    )
    # wrk stops with up to one request in flight per connection; the server still completes
    # those, so the database may hold up to that many more than the 201s wrk saw.
    in_flight = after - before - created
    consistent = 0 <= in_flight <= 2 * args.connections
    print(
        f"database: {after - before:,} complaints added, {created:,} answered 201 (warm-up "
        f"included), {in_flight} completed after wrk hung up: "
        f"{'consistent' if consistent else 'MISMATCH'}"
    )
    sys.exit(1 if failed or not consistent else 0)


if __name__ == "__main__":
    main()
