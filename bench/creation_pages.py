"""Creation's pages against the floors, in-process (issue 15 §2), on a database filled by
``generate.py`` and ``creation.py``:

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15b_100k .venv/bin/python bench/creation_pages.py

Times the creation list, the compliance pages (a body admin's list, the city's per-body
summary, one body seen by the city), the API compliance route and the office home with
Django's test client (median of ``--repeat`` after a warm-up), beside the framework floor
``/-/floor/`` and the layout floor ``/accounts/password/`` of the same run, and prints each as
a ratio of the floor with the #15 verdict (≥ 0.5 of the floor). ``--rebuild`` first times
``manage.py rebuild_tallies`` (every derived creation row, set-based).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import page, setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true", help="time rebuild_tallies first")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database made by generate.py")
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from qnwmh.access.actor import actor_for
    from qnwmh.access.tokens import token_issue
    from qnwmh.accounts.models import User
    from qnwmh.collectives.models import Collective
    from qnwmh.core.actor import Role
    from qnwmh.creation.models import LogEntry
    from qnwmh.orgs.models import Organisation

    if args.rebuild:
        t = time.perf_counter()
        call_command("rebuild_tallies", stdout=io.StringIO())
        print(f"rebuild_tallies: {time.perf_counter() - t:.1f} s", flush=True)
        with connection.cursor() as cur:
            for table in (
                "creation_creationmember",
                "creation_creationmonth",
                "creation_creationtally",
            ):
                cur.execute(f"VACUUM ANALYZE {table}")
    city = User.objects.filter(assignments__role=Role.CITY_ADMIN, is_active=True).first()
    body_user = User.objects.filter(assignments__role=Role.BODY_ADMIN, is_active=True).first()
    assert city and body_user, "the database needs a city admin and a body admin"
    body = Organisation.objects.get(
        pk=body_user.assignments.filter(role=Role.BODY_ADMIN)[0].organisation_id
    )
    print(
        f"data: {Collective.objects.count():,} collectives, "
        f"{LogEntry.objects.order_by().count():,} log entries; body admin's body "
        f"{Collective.objects.filter(body=body).count():,} collectives; load {os.getloadavg()[0]:.1f}"
    )
    city_client, body_client = Client(), Client()
    city_client.force_login(city)
    body_client.force_login(body_user)
    secret = token_issue(actor_for(city, "127.0.0.1"), user=city, name="bench")[1]
    api = Client(headers={"Authorization": f"Bearer {secret}"})

    floor_t, floor_q = page(city_client, "/-/floor/", args.repeat)
    layout_t, layout_q = page(city_client, "/accounts/password/", args.repeat)
    print("\n| page | median | of the floor | verdict | queries |\n| --- | --- | --- | --- | --- |")
    print(f"| floor `/-/floor/` | {floor_t * 1000:.1f} ms | 1.00 | | {floor_q} |")
    print(
        f"| layout floor `/accounts/password/` | {layout_t * 1000:.1f} ms | "
        f"{floor_t / layout_t:.2f} | | {layout_q} |"
    )
    targets = [
        ("creation list, body admin", body_client, "/office/creation/"),
        ("creation list, city", city_client, "/office/creation/"),
        ("creation list, city, page 200", city_client, "/office/creation/?page=200"),
        ("compliance, body admin", body_client, "/office/creation/compliance/"),
        ("compliance summary, city", city_client, "/office/creation/compliance/"),
        (
            "a body's compliance seen by the city",
            city_client,
            f"/office/creation/compliance/bodies/{body.code}/",
        ),
        ("API compliance (50)", api, "/api/v1/creation/compliance"),
        ("office home, city", city_client, "/office/"),
        ("office home, body admin", body_client, "/office/"),
    ]
    for label, client, url in targets:
        t, q = page(client, url, args.repeat)
        ratio = floor_t / t
        verdict = "ok" if ratio >= 0.5 else "below"
        print(f"| {label} | {t * 1000:.1f} ms | {ratio:.2f} | {verdict} | {q} |", flush=True)


if __name__ == "__main__":
    main()
