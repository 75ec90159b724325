"""Certification scoring at scale (issue 12): 5,000 recommended applications × 5 reviewers,
both score sets submitted (50,000 sheets), then the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/generate.py --collectives 6000
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/scoring.py

Generates (``bulk_create``, deterministic per ``--seed``) a cycle in its certification phase
with a round in review, three review areas over the towns, a pool of ``--reviewers`` reviewer
accounts with a panel per area, one registration and one recommended application per
collective, ``--per-application`` accepted assignments each (balanced within the area) and a
submitted sheet per assignment and set whose totals carry each reviewer's own bias (so the
z-score method has something to correct). Then measures, in-process on this database:

- the aggregation of the whole round (``aggregation.compute_round``) under each method:
  seconds and queries;
- one application's recompute after a submit (mean and z-score);
- the reviewer's scoring list (``/office/certification/scoring/``, the busiest reviewer)
  against the framework floor (``/-/floor/``) and the layout floor (``/accounts/password/``),
  all through Django's test client after a
  warm-up: median time of ``--repeat`` requests and queries per request.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import page, setup, timed  # noqa: E402


def generate(args: argparse.Namespace) -> Any:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from qnwmh.access.models import RoleAssignment
    from qnwmh.accounts.models import User
    from qnwmh.certification.models import (
        Application,
        ApplicationStatus,
        Assignment,
        AssignmentStatus,
        CertificationRound,
        Panel,
        ReviewArea,
        Reviewer,
        RoundStatus,
        ScoreSheet,
        SheetStatus,
    )
    from qnwmh.collectives.models import Collective
    from qnwmh.core.actor import Role
    from qnwmh.core.demo_context import DEMO_PASSWORD
    from qnwmh.cycles.models import Cycle, Phase, Registration, RegistrationStatus
    from qnwmh.orgs.models import Town
    from qnwmh.programme.models import Dimension, ProgrammeRules

    rng = random.Random(args.seed)
    today = timezone.localdate()
    now = timezone.now()
    if CertificationRound.objects.filter(cycle__session_no=9000).exists():
        print("scoring data already generated; measuring only")
        return CertificationRound.objects.get(cycle__session_no=9000)
    started = time.perf_counter()
    collectives = list(
        Collective.objects.order_by("id").values_list("id", "body_id", "town_id", "ownership")[
            : args.applications
        ]
    )
    if len(collectives) < args.applications:
        sys.exit(f"need {args.applications} collectives, found {len(collectives)}: run generate.py")
    with transaction.atomic():
        cycle = Cycle.objects.create(
            session_no=9000,
            registration_year=today.year - 1,
            certification_year=today.year,
            phase=Phase.CERTIFICATION,
            registration_opens_on=today - datetime.timedelta(days=400),
            registration_closes_on=today - datetime.timedelta(days=380),
            creation_ends_on=today - datetime.timedelta(days=30),
            certification_starts_on=today - datetime.timedelta(days=20),
            certification_ends_on=today + datetime.timedelta(days=40),
            rules_snapshot=ProgrammeRules.current().as_dict(),
            opened_at=now,
            quotas_published_at=now,
        )
        start, end = today - datetime.timedelta(days=20), today + datetime.timedelta(days=30)
        r = CertificationRound.objects.create(
            cycle=cycle,
            status=RoundStatus.REVIEW,
            applications_open_on=start,
            applications_close_on=start,
            test_opens_on=start,
            test_closes_on=end,
            site_from=start,
            site_to=end,
            defence_from=start,
            defence_to=end,
            scoring_closes_on=end,
        )
        towns = list(Town.objects.order_by("id"))
        areas = []
        for n in range(3):
            area = ReviewArea.objects.create(name=f"压测片区{n + 1}", sort_order=n)
            area.towns.set(towns[n::3])
            areas.append(area)
        area_of_town = {t.pk: areas[i % 3] for i, t in enumerate(towns)}

        # The demo password, so bench/run.py can sign in as one of them.
        password = make_password(DEMO_PASSWORD)
        users = User.objects.bulk_create(
            User(username=f"bench_reviewer_{n:03d}", first_name=f"评委{n:03d}", password=password)
            for n in range(args.reviewers)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role=Role.REVIEWER) for u in users
        )
        reviewers = Reviewer.objects.bulk_create(
            Reviewer(user=u, expertise="公共服务", employer=f"压测单位{n}")
            for n, u in enumerate(users)
        )
        pool = {a.pk: reviewers[i::3] for i, a in enumerate(areas)}
        for a in areas:
            for rv in pool[a.pk]:
                rv.areas.add(a)
            panel = Panel.objects.create(round=r, area=a, chair=pool[a.pk][0])
            panel.members.set(pool[a.pk])

        regs = Registration.objects.bulk_create(
            (
                Registration(
                    cycle=cycle,
                    collective_id=cid,
                    body_id=body,
                    town_id=town,
                    ownership=ownership,
                    number=f"9000-B{n:06d}",
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
        apps = Application.objects.bulk_create(
            (
                Application(
                    round=r,
                    registration=reg,
                    collective_id=reg.collective_id,
                    body_id=reg.body_id,
                    town_id=reg.town_id,
                    area=area_of_town[reg.town_id],
                    status=ApplicationStatus.RECOMMENDED,
                    submitted_at=now,
                    recommended_at=now,
                )
                for reg in regs
            ),
            batch_size=2000,
        )
        # Balanced: round-robin over the area's pool.
        cursor = {a.pk: 0 for a in areas}
        assignments = []
        for app in apps:
            members = pool[app.area_id]
            k = cursor[app.area_id]
            for j in range(args.per_application):
                rv = members[(k + j) % len(members)]
                assignments.append(
                    Assignment(
                        application=app,
                        reviewer=rv,
                        status=AssignmentStatus.ACCEPTED,
                        due_on=end,
                    )
                )
            cursor[app.area_id] = k + args.per_application
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        quality = {app.pk: rng.gauss(78, 7) for app in apps}
        bias = {rv.pk: rng.gauss(0, 6) for rv in reviewers}
        sheets = []
        for a in assignments:
            for score_set in ("site", "defence"):
                total = max(
                    0.0,
                    min(100.0, quality[a.application_id] + bias[a.reviewer_id] + rng.gauss(0, 4)),
                )
                points = str(round(total))
                sheets.append(
                    ScoreSheet(
                        assignment=a,
                        application_id=a.application_id,
                        reviewer_id=a.reviewer_id,
                        score_set=score_set,
                        status=SheetStatus.SUBMITTED,
                        scores={d: {"points": points, "comment": ""} for d in Dimension.values},
                        total=Decimal(points),
                        submitted_at=now,
                    )
                )
        ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(
        f"generated {len(apps)} applications, {len(assignments)} assignments, "
        f"{len(sheets)} sheets in {time.perf_counter() - started:.1f} s"
    )
    return r


def measure(r: Any, args: argparse.Namespace) -> None:
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client

    from qnwmh.certification.models import Application, Assignment
    from qnwmh.certification.services import aggregation

    print("\n| measure | time | queries |\n| --- | --- | --- |")
    cycle = r.cycle
    for method in ("mean", "trimmed_mean", "zscore"):
        cycle.rules_snapshot = {**cycle.rules_snapshot, "score_aggregation": method}
        cycle.save(update_fields=["rules_snapshot"])
        r.cycle = cycle
        aggregation.compute_round(r)  # warm
        elapsed, queries = timed(lambda: aggregation.compute_round(r))
        print(f"| aggregate round ({method}) | {elapsed:.2f} s | {queries} |")
    app = Application.objects.filter(round=r).order_by("id").first()
    for method in ("mean", "zscore"):
        cycle.rules_snapshot = {**cycle.rules_snapshot, "score_aggregation": method}
        cycle.save(update_fields=["rules_snapshot"])
        fresh = Application.objects.select_related("round__cycle").get(pk=app.pk)
        # As on a submit: inside the transaction that locks the application.
        elapsed, queries = timed(
            lambda a=fresh: transaction.atomic()(aggregation.recompute_application)(a)
        )
        print(f"| recompute one application ({method}) | {elapsed * 1000:.0f} ms | {queries} |")

    busiest = (
        Assignment.objects.filter(application__round=r)
        .values("reviewer__user_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    from qnwmh.accounts.models import User

    user = User.objects.get(pk=busiest["reviewer__user_id"])
    client = Client()
    client.force_login(user)

    from django.conf import settings

    floor_t, floor_q = page(client, "/-/floor/", args.repeat)
    layout_t, layout_q = page(client, "/accounts/password/", args.repeat)
    list_t, list_q = page(client, "/office/certification/scoring/", args.repeat)
    last_t, last_q = page(
        f"/office/certification/scoring/?page={-(-busiest['n'] // settings.PAGE_SIZE)}"
    )
    print(f"| floor `/-/floor/` (reviewer) | {floor_t * 1000:.1f} ms | {floor_q} |")
    print(f"| layout floor `/accounts/password/` | {layout_t * 1000:.1f} ms | {layout_q} |")
    print(
        f"| reviewer's list, {busiest['n']} assignments, page 1 | {list_t * 1000:.1f} ms "
        f"({floor_t / list_t:.2f} of the floor, {layout_t / list_t:.2f} of the layout) | {list_q} |"
    )
    print(
        f"| reviewer's list, last page | {last_t * 1000:.1f} ms "
        f"({floor_t / last_t:.2f} of the floor, {layout_t / last_t:.2f} of the layout) | {last_q} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--per-application", type=int, default=5)
    parser.add_argument("--reviewers", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument(
        "--measure-only", action="store_true", help="measure the round generated by a past run"
    )
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db.models import Count

    from qnwmh.certification.models import CertificationRound

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.measure_only:
        r = CertificationRound.objects.annotate(n=Count("applications")).order_by("-n")[0]
    else:
        r = generate(args)
    measure(r, args)


if __name__ == "__main__":
    main()
