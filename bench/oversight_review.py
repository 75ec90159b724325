"""The annual re-review at scale (issue 14): opening a campaign over 100,000 active city titles,
then its pages.

    DATABASE_URL=sqlite:////tmp/bench_review.sqlite3 .venv/bin/python bench/oversight_review.py
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/oversight_review.py

On an empty database it migrates and generates (``bulk_create``, deterministic per ``--seed``)
``--bodies`` managing bodies, ``--titles`` collectives each holding an active city title, one in
fifty also a provincial title (exempt), ratings for a tenth and an upheld complaint for one in a
hundred; a database that already has city titles (``bench/generate.py``) is used as it is. Then
measures, in-process:

- ``services.review.open`` over every active city title (bulk cases, computed scores, exempt
  titles): seconds, queries and peak memory, rolled back and then once for real;
- the campaign's progress page, the cases list (city, one body, filtered) and the export's
  first page of rows against the framework floor (``/-/floor/``), through Django's test
  client after a warm-up: median time of ``--repeat`` requests and queries per request.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import page, rss_mb, setup, timed  # noqa: E402

YEAR = 2031


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from qnwmh.collectives.models import Collective, Level, Ownership, Title, TitleStatus
    from qnwmh.supervision.models import Complaint, Rating
    from tests import factories as f

    call_command("migrate", verbosity=0)
    if Title.objects.filter(level=Level.CITY, status=TitleStatus.ACTIVE).exists():
        print("titles already there; measuring only")
        return
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with transaction.atomic():
        f.user("bench_city", f.Role.CITY_ADMIN, organisation=f.city())
        bodies = [f.body(name=f"压测团委{n}") for n in range(args.bodies)]
        f.user("bench_body", f.Role.BODY_ADMIN, organisation=bodies[0])
        ownerships = list(Ownership.values)
        collectives = Collective.objects.bulk_create(
            (
                Collective(
                    name=f"压测集体{n:06d}",
                    sort_key=f"yace{n:06d}",
                    work_unit="压测单位",
                    body=bodies[n % len(bodies)],
                    town_id=bodies[n % len(bodies)].town_id,
                    ownership=ownerships[n % len(ownerships)],
                )
                for n in range(args.titles)
            ),
            batch_size=5000,
        )
        awarded = datetime.date(YEAR - 3, 12, 20)
        Title.objects.bulk_create(
            (
                Title(
                    collective=c,
                    level=Level.CITY,
                    stars=rng.randint(1, 3),
                    session_no=20,
                    year=YEAR - 3,
                    awarded_on=awarded,
                )
                for c in collectives
            ),
            batch_size=5000,
        )
        Title.objects.bulk_create(
            (
                Title(
                    collective=c,
                    level=Level.PROVINCIAL,
                    session_no=20,
                    year=YEAR - 1,
                    awarded_on=awarded,
                )
                for c in collectives[::50]
            ),
            batch_size=5000,
        )
        Rating.objects.bulk_create(
            (
                Rating(
                    collective=c,
                    stars=rng.randint(2, 5),
                    device=f"bench{c.pk}",
                    day=datetime.date(YEAR, 6, 1),
                )
                for c in collectives[::10]
            ),
            batch_size=5000,
        )
        received = timezone.make_aware(datetime.datetime(YEAR, 3, 1, 10))
        Complaint.objects.bulk_create(
            (
                Complaint(
                    collective=c,
                    body_id=c.body_id,
                    category="attitude",
                    text="压测投诉",
                    received_at=received,
                    ack_due=received.date(),
                    finish_due=received.date(),
                    upheld=True,
                )
                for c in collectives[::100]
            ),
            batch_size=5000,
        )
    print(
        f"generated {len(collectives)} titled collectives in {time.perf_counter() - started:.1f} s"
    )


def _standard(clerk: Any, year: int) -> Any:
    """The year's latest standard, else one from the defaults (as the demo makes it)."""
    from qnwmh.access.actor import actor_for
    from qnwmh.oversight.demo.review import standard_for

    return standard_for(actor_for(clerk), year)


def measure(args: argparse.Namespace) -> None:
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from qnwmh.access.actor import actor_for
    from qnwmh.accounts.models import User
    from qnwmh.core.actor import Role
    from qnwmh.oversight.models import AnnualReview
    from qnwmh.oversight.services import review as services

    city = User.objects.filter(assignments__role=Role.CITY_ADMIN, is_active=True).first()
    body_admin = User.objects.filter(assignments__role=Role.BODY_ADMIN, is_active=True).first()
    actor = actor_for(city, "127.0.0.1")
    today = timezone.localdate()

    def open_review(year: int = YEAR) -> Any:
        return services.open(
            actor,
            year=year,
            standard=_standard(city, year),
            self_report_due=today + datetime.timedelta(days=14),
            assessment_due=today + datetime.timedelta(days=30),
            note="压测",
        )

    def open_and_roll_back() -> None:
        # Another year's campaign, so that it can be measured again on the same data.
        with transaction.atomic():
            open_review(YEAR + 1)
            transaction.set_rollback(True)

    print("\n| measure | time | queries |\n| --- | --- | --- |")
    elapsed, queries = timed(open_and_roll_back)
    print(f"| open a campaign (rolled back) | {elapsed:.1f} s | {queries} |")
    print(f"| peak memory after opening | {rss_mb():.0f} MB | |")
    r = AnnualReview.objects.filter(year=YEAR).first() or open_review()
    n = r.cases.count()
    print(f"| cases | {n} ({r.cases.filter(status='exempt').count()} exempt) | |")

    client = Client()
    client.force_login(city)
    floor_t, floor_q = page(client, "/-/floor/", args.repeat)
    print(f"| floor `/-/floor/` | {floor_t * 1000:.1f} ms | {floor_q} |")
    base = f"/office/oversight/reviews/{r.code}/"
    body_id = r.cases.values_list("body_id", flat=True).first()
    for label, url in (
        ("progress per body, city", base),
        ("cases list, city", base + "cases/"),
        ("cases list, city, one body", f"{base}cases/?body={body_id}"),
        (
            "cases list, city, awaiting self-report, page 50",
            f"{base}cases/?status=awaiting_self&page=50",
        ),
    ):
        t, q = page(client, url, args.repeat)
        print(f"| {label} | {t * 1000:.0f} ms ({floor_t / t:.2f} of the floor) | {q} |")
    if body_admin is not None:
        body = Client()
        body.force_login(body_admin)
        for label, url in (
            ("progress per body, a body", base),
            ("cases list, a body", base + "cases/"),
        ):
            t, q = page(body, url, args.repeat)
            print(f"| {label} | {t * 1000:.0f} ms ({floor_t / t:.2f} of the floor) | {q} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup()
    generate(args)
    measure(args)


if __name__ == "__main__":
    main()
