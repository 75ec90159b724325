"""Spot checks at scale (issue 14): drawing a year's sample from 100,000 city titles.

    .venv/bin/python bench/oversight_spotcheck.py --titles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/oversight_spotcheck.py

Measures, in-process:

- the pure draw (``oversight.draw.draw``) over ``--titles`` synthetic units in 23 towns ×
  15 sectors × 6 ownerships: seconds and peak memory;
- ``services.spotcheck.draw_year`` on this database, inside a transaction rolled back at the
  end: the titles it draws from are added first (``bulk_create``, deterministic per
  ``--seed``) when the database holds fewer active city titles than ``--titles``; seconds,
  queries and the visits it creates;
- the draw's back-office page (strata over the stored population) and the public
  reproduction page with a re-draw, through Django's test client: median of ``--repeat``.
"""

from __future__ import annotations

import argparse
import datetime
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import page, rss_mb, setup, timed  # noqa: E402

OWNERSHIPS = [
    "party_government",
    "public_institution",
    "state_enterprise",
    "non_public",
    "social_organisation",
    "other",
]


def pure(n: int, seed: int) -> None:
    from qnwmh.oversight import draw as d

    rng = random.Random(seed)
    units = [
        d.Unit(i, rng.randint(1, 23), rng.choice([None, *range(1, 16)]), rng.choice(OWNERSHIPS))
        for i in range(1, n + 1)
    ]
    before = rss_mb()
    t = time.perf_counter()
    sample = d.draw(units, 20, "bench")
    elapsed = time.perf_counter() - t
    print(
        f"pure draw of {n} units: {elapsed:.3f}s, {len(sample)} drawn, "
        f"{len(d.strata(units, 20))} strata, peak RSS {rss_mb():.0f} MB (+{rss_mb() - before:.0f})"
    )


def _add_titles(missing: int, seed: int) -> None:
    from qnwmh.collectives.models import Collective, Level, Title
    from qnwmh.orgs.models import Organisation, Sector

    rng = random.Random(seed)
    bodies = list(Organisation.objects.filter(town__isnull=False).select_related("town"))
    sectors = [None, *Sector.objects.all()]
    if not bodies:
        raise SystemExit("no body with a town: load the demo (manage.py load_demo) first")
    made = 0
    while made < missing:
        batch = min(5000, missing - made)
        cs = []
        for i in range(batch):
            b = rng.choice(bodies)
            cs.append(
                Collective(
                    name=f"抽检基准集体{made + i}",
                    work_unit="基准单位",
                    body=b,
                    town=b.town,
                    sector=rng.choice(sectors),
                    ownership=rng.choice(OWNERSHIPS),
                )
            )
        Collective.objects.bulk_create(cs, batch_size=1000)
        Title.objects.bulk_create(
            [
                Title(
                    collective=c,
                    level=Level.CITY,
                    stars=1,
                    session_no=21,
                    year=2022,
                    awarded_on=datetime.date(2022, 12, 20),
                )
                for c in cs
            ],
            batch_size=1000,
        )
        made += batch


def service(args: argparse.Namespace) -> None:
    from django.db import transaction
    from django.test import Client

    from qnwmh.access.actor import actor_for
    from qnwmh.accounts.models import User
    from qnwmh.collectives.models import Level, Title, TitleStatus
    from qnwmh.oversight.models import SpotCheck, Visit
    from qnwmh.oversight.services import spotcheck as services

    year = datetime.date.today().year
    with transaction.atomic():
        have = Title.objects.filter(level=Level.CITY, status=TitleStatus.ACTIVE).count()
        t = time.perf_counter()
        if have < args.titles:
            _add_titles(args.titles - have, args.seed)
        print(
            f"titles: {have} active city titles, added {max(0, args.titles - have)} "
            f"in {time.perf_counter() - t:.1f}s"
        )
        # This year's demo draw makes way for the bench's (rolled back with the rest).
        Visit.objects.filter(spot_check__year=year).delete()
        SpotCheck.objects.filter(year=year).delete()
        city = User.objects.filter(is_superuser=False, assignments__role="city_admin").first()
        if city is None:
            raise SystemExit("no city admin: load the demo (manage.py load_demo) first")
        actor = actor_for(city, "127.0.0.1")
        holder: dict[str, Any] = {}
        elapsed, queries = timed(
            lambda: holder.update(check=services.draw_year(actor, year=year, seed="bench"))
        )
        check = holder["check"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"draw_year: {elapsed:.2f}s, {queries} queries, population {len(check.population)}, "
            f"{check.visits.count()} visits, peak RSS {peak:.0f} MB"
        )
        client = Client()
        client.force_login(city)
        for label, url in (
            ("draw page (city)", f"/office/oversight/spot-checks/{check.code}/"),
            ("public page", f"/spot-checks/{check.code}/"),
            ("public re-draw", f"/spot-checks/{check.code}/?seed=other"),
            ("visits list (city)", "/office/oversight/visits/"),
            ("framework floor", "/-/floor/"),
        ):
            median, q = page(client, url, args.repeat)
            print(f"{label:<22} {median * 1000:7.0f} ms  {q} queries")
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pure-only", action="store_true")
    args = parser.parse_args()
    setup()
    pure(args.titles, args.seed)
    if not args.pure_only:
        service(args)


if __name__ == "__main__":
    main()
