"""CPU per request of the JSON floor and the layout floor (the password page), in-process.

Both pages as the demo's city admin through the test client, alternating one request of
each, ``--repeat`` times after a warm-up; prints the median process CPU milliseconds of each
and their ratio (floor / layout: what the layout floor's target, ≥ 0.6, is about). With
``--profile``, the layout page's cProfile instead (cumulative, top 40).

Runs on any tree (this one or a ``git archive`` of an older commit) against an existing demo
database, with DEBUG off, e.g.:

    QNWMH_ENV=development DEBUG=false LOG_LEVEL=ERROR DATABASE_URL=sqlite:////tmp/demo.sqlite3 \\
        .venv/bin/python bench/layout_cpu.py --repeat 300
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inprocess import setup

FLOOR = "/-/floor/"
LAYOUT = "/accounts/password/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--username", default="city_admin")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup()
    from django.test import Client

    from qnwmh.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.username))
    for _ in range(30):  # warm-up: kept menus, compiled templates, the session's kept state
        for url in (FLOOR, LAYOUT):
            assert client.get(url).status_code == 200, url
    if args.profile:
        _profile(client, args.repeat)
        return
    cpu: dict[str, list[float]] = {FLOOR: [], LAYOUT: []}
    for _ in range(args.repeat):
        for url in (FLOOR, LAYOUT):
            start = time.process_time()
            client.get(url)
            cpu[url].append((time.process_time() - start) * 1000)
    floor, layout = (statistics.median(cpu[u]) for u in (FLOOR, LAYOUT))
    print(json.dumps({"floor_ms": floor, "layout_ms": layout, "ratio": floor / layout}))


def _profile(client: object, repeat: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(LAYOUT)  # type: ignore[attr-defined]
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
