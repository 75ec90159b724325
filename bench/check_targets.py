"""Every target of ``targets.py`` once through Django's test client: status, queries, time.

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15c_million \\
        .venv/bin/python bench/check_targets.py [--only "office home,notices"]

A quick check that a generated database serves every bench page (200) before a long
``run.py``; no server, no wrk. Uses the same roles and parameters as ``run.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
HOST = "127.0.0.1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated target names")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from targets import API_ROLES, ROLES, TARGETS, resolve

    from qnwmh.access.actor import actor_for
    from qnwmh.access.tokens import token_issue
    from qnwmh.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    targets = [t for t in TARGETS if not wanted or t.name in wanted]
    ready, skipped = resolve(targets)
    for line in skipped:
        print(f"skipped: {line}", flush=True)
    failed = len(skipped)
    for t, url in ready:
        client = Client(HTTP_HOST=HOST)
        if t.role in API_ROLES:
            user = User.objects.get(username=API_ROLES[t.role])
            _token, secret = token_issue(actor_for(user, HOST), user=user, name="bench")
            client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {secret}")
        elif t.role != "anonymous":
            client.force_login(User.objects.get(username=ROLES[t.role]))
        client.get(url)  # warm-up
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - started) * 1000
        ok = response.status_code == 200
        failed += not ok
        print(
            f"{t.name:<28} {response.status_code} {len(ctx):>3} queries {ms:>8.1f} ms  {url}",
            flush=True,
        )
    print(f"{len(targets) - failed} of {len(targets)} answer 200")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
