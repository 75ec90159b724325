"""Awards ranking at scale (issue 13): a closed round of 5,000 recommended applications with
their aggregated scores, league support and public ratings; then the ranking's figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/generate.py --collectives 6000
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/awards_ranking.py

Generates (``bulk_create``, deterministic per ``--seed``) a cycle in its certification phase
(session 9100) with quotas for every body, one filed registration and one recommended
application per collective with an ``ApplicationResult`` (site, defence, combined), three
review areas marking differently (so per-area normalisation has work), league support for
nine in ten applications and ratings for a third of the collectives, and closes the round.
Then measures, in-process on this database:

- the live ranking read afresh (``services.ranking.current_ranking``, as freezing does), a
  what-if re-rank of the same candidates, and the kept ranking the pages use
  (``services.ranking_cache.live_ranking``: first request, next ones, another process):
  seconds and queries;
- freezing the shortlist (``services.ranking.freeze``), rolled back afterwards;
- the ranking page (city, page 1 and per body) and the what-if page against the framework
  floor (``/-/floor/``) and the layout floor (``/accounts/password/``), through Django's test
  client after a warm-up: median time of ``--repeat`` requests and queries per request.

``run.py --only "ranking city,what-if city"`` then loads the two pages over HTTP (targets.py).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import page, setup, timed  # noqa: E402

SESSION = 9100


def _cycle_and_round(today: datetime.date, now: Any) -> Any:
    from qnwmh.certification.models import CertificationRound, RoundStatus
    from qnwmh.cycles.models import Cycle, Phase
    from qnwmh.programme.models import ProgrammeRules

    cycle = Cycle.objects.create(
        session_no=SESSION,
        registration_year=today.year - 1,
        certification_year=today.year,
        phase=Phase.CERTIFICATION,
        registration_opens_on=today - datetime.timedelta(days=400),
        registration_closes_on=today - datetime.timedelta(days=380),
        creation_ends_on=today - datetime.timedelta(days=30),
        certification_starts_on=today - datetime.timedelta(days=20),
        certification_ends_on=today + datetime.timedelta(days=40),
        rules_snapshot={**ProgrammeRules.current().as_dict(), "area_normalisation": "per_area"},
        opened_at=now,
        quotas_published_at=now,
    )
    start = today - datetime.timedelta(days=20)
    return CertificationRound.objects.create(
        cycle=cycle,
        status=RoundStatus.CLOSED,
        applications_open_on=start,
        applications_close_on=start,
        test_opens_on=start,
        test_closes_on=start,
        site_from=start,
        site_to=start,
        defence_from=start,
        defence_to=start,
        scoring_closes_on=today - datetime.timedelta(days=1),
    )


def generate(args: argparse.Namespace) -> Any:
    from django.db import connection, transaction
    from django.utils import timezone

    from qnwmh.accounts.models import User
    from qnwmh.awards.models import LeagueSupport
    from qnwmh.certification.models import (
        Application,
        ApplicationResult,
        ApplicationStatus,
        CertificationRound,
        ReviewArea,
    )
    from qnwmh.collectives.models import Collective
    from qnwmh.core.actor import Role
    from qnwmh.cycles.models import Quota, Registration, RegistrationStatus
    from qnwmh.orgs.models import Town
    from qnwmh.supervision.models import Rating

    rng = random.Random(args.seed)
    today, now = timezone.localdate(), timezone.now()
    existing = CertificationRound.objects.filter(cycle__session_no=SESSION).first()
    if existing is not None:
        print("ranking data already generated; measuring only")
        return existing
    started = time.perf_counter()
    collectives = list(
        Collective.objects.order_by("id").values_list("id", "body_id", "town_id", "ownership")[
            : args.applications
        ]
    )
    if len(collectives) < args.applications:
        sys.exit(f"need {args.applications} collectives, found {len(collectives)}: run generate.py")
    clerk = User.objects.filter(assignments__role=Role.CITY_ADMIN).first()
    with transaction.atomic():
        r = _cycle_and_round(today, now)
        towns = list(Town.objects.order_by("id"))
        areas = []
        for n in range(3):
            area, _ = ReviewArea.objects.get_or_create(
                name=f"排名压测片区{n + 1}", defaults={"sort_order": 10 + n}
            )
            area.towns.set(towns[n::3])
            areas.append(area)
        area_of_town = {t.pk: areas[i % 3] for i, t in enumerate(towns)}
        # Areas mark differently: the normalisation maps them onto the city's spread.
        leniency = {areas[0].pk: -4.0, areas[1].pk: 0.0, areas[2].pk: 5.0}
        bodies = sorted({body for _c, body, _t, _o in collectives})
        Quota.objects.bulk_create(
            Quota(cycle=r.cycle, body_id=b, base_kind="titles_held", computed=rng.randint(20, 90))
            for b in bodies
        )
        regs = Registration.objects.bulk_create(
            (
                Registration(
                    cycle=r.cycle,
                    collective_id=cid,
                    body_id=body,
                    town_id=town,
                    ownership=ownership,
                    number=f"{SESSION}-R{n:06d}",
                    status=RegistrationStatus.FILED,
                    eligibility="met",
                    plan_summary="压测",
                    leader_name="张敏",
                    leading_group="张敏 号长",
                    pledge="热情服务，接受监督。",
                )
                for n, (cid, body, town, ownership) in enumerate(collectives)
            ),
            batch_size=2000,
        )
        rank_in_body: dict[int, int] = {}
        apps = []
        for reg in regs:
            rank_in_body[reg.body_id] = rank_in_body.get(reg.body_id, 0) + 1
            apps.append(
                Application(
                    round=r,
                    registration=reg,
                    collective_id=reg.collective_id,
                    body_id=reg.body_id,
                    town_id=reg.town_id,
                    area=area_of_town[reg.town_id],
                    status=ApplicationStatus.RECOMMENDED,
                    special_recommendation=rng.random() < 0.01,
                    body_rank=rank_in_body[reg.body_id],
                    submitted_at=now,
                    recommended_at=now,
                )
            )
        apps = Application.objects.bulk_create(apps, batch_size=2000)
        results = []
        for app in apps:
            base = rng.gauss(78, 7) + leniency[app.area_id]
            site = Decimal(str(round(min(100, max(0, base + rng.gauss(0, 3))), 2)))
            defence = Decimal(str(round(min(100, max(0, base + rng.gauss(0, 3))), 2)))
            results.append(
                ApplicationResult(
                    application=app,
                    site_score=site,
                    defence_score=defence,
                    combined=((site + defence) / 2).quantize(Decimal("0.01")),
                    method="mean",
                    site_sheets=5,
                    defence_sheets=5,
                )
            )
        ApplicationResult.objects.bulk_create(results, batch_size=2000)
        LeagueSupport.objects.bulk_create(
            (
                LeagueSupport(
                    application=app,
                    score=Decimal(rng.randint(50, 100)),
                    figures={"league_members": rng.randint(3, 40)},
                    reason="压测",
                    entered_by=clerk,
                )
                for app in apps
                if rng.random() < 0.9
            ),
            batch_size=2000,
        )
        day = r.cycle.registration_opens_on + datetime.timedelta(days=30)
        Rating.objects.bulk_create(
            (
                Rating(
                    collective_id=cid, stars=rng.randint(3, 5), device=f"bench{cid}-{k}", day=day
                )
                for cid, _b, _t, _o in collectives[::3]
                for k in range(3)
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"generated {len(apps)} applications in {time.perf_counter() - started:.1f} s")
    return r


def measure(r: Any, args: argparse.Namespace) -> None:
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    from qnwmh.access.actor import actor_for
    from qnwmh.accounts.models import User
    from qnwmh.awards.ranking import rank
    from qnwmh.awards.services import ranking_cache
    from qnwmh.awards.services.ranking import current_ranking, freeze, weights_of
    from qnwmh.core.actor import Role

    print("\n| measure | time | queries |\n| --- | --- | --- |")
    current_ranking(r)  # warm
    elapsed, queries = timed(lambda: current_ranking(r))
    print(
        f"| live ranking of {r.applications.count()} applications | {elapsed:.2f} s | {queries} |"
    )
    ranking = current_ranking(r)
    trial = weights_of(r.cycle, league_pct=30, appraisal_pct=0, tie_break="site,test")
    candidates = [row.candidate for row in ranking.rows]
    elapsed, queries = timed(lambda: rank(candidates, trial, ranking.caps))
    print(f"| what-if re-rank (pure) | {elapsed * 1000:.0f} ms | {queries} |")
    # What the pages use: the candidates and rankings kept under the round's data version.
    rules = weights_of(r.cycle)
    ranking_cache.clear()
    cache.clear()
    elapsed, queries = timed(lambda: ranking_cache.live_ranking(r, rules))
    print(f"| kept ranking, first request (read + rank + keep) | {elapsed:.2f} s | {queries} |")
    elapsed, queries = timed(lambda: ranking_cache.live_ranking(r, rules))
    print(f"| kept ranking, next requests (version + caps) | {elapsed * 1000:.1f} ms | {queries} |")
    ranking_cache.clear()  # as another worker process: unpickled from Django's cache
    elapsed, queries = timed(lambda: ranking_cache.live_ranking(r, rules))
    print(f"| kept ranking, another process | {elapsed * 1000:.1f} ms | {queries} |")
    city = User.objects.filter(assignments__role=Role.CITY_ADMIN, is_active=True).first()
    actor = actor_for(city, "127.0.0.1")

    def freeze_and_roll_back() -> None:
        with transaction.atomic():
            freeze(actor, r, note="压测")
            transaction.set_rollback(True)

    elapsed, queries = timed(freeze_and_roll_back)
    print(f"| freeze (rolled back) | {elapsed:.2f} s | {queries} |")

    client = Client()
    client.force_login(city)

    floor_t, floor_q = page(client, "/-/floor/", args.repeat)
    layout_t, layout_q = page(client, "/accounts/password/", args.repeat)
    print(f"| floor `/-/floor/` | {floor_t * 1000:.1f} ms | {floor_q} |")
    print(f"| layout floor `/accounts/password/` | {layout_t * 1000:.1f} ms | {layout_q} |")
    body = ranking.rows[0].candidate.body_id
    base = f"/office/awards/ranking/{r.code}/"
    for label, url in (
        ("ranking page, city", base),
        ("ranking page, one body", f"{base}?body={body}"),
        ("what-if page", f"{base}what-if/?league_pct=30&appraisal_pct=0&tie_break=site,test"),
        ("what-if page, movers only", f"{base}what-if/?league_pct=30&appraisal_pct=0&movers=1"),
    ):
        t, q = page(client, url, args.repeat)
        print(
            f"| {label} | {t * 1000:.0f} ms ({floor_t / t:.2f} of the floor, "
            f"{layout_t / t:.2f} of the layout) | {q} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to the PostgreSQL database made by bench/generate.py")
    setup()
    r = generate(args)
    measure(r, args)


if __name__ == "__main__":
    main()
