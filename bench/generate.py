"""Fill a PostgreSQL database with a large, realistic Zhongshan programme for the benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k \\
        .venv/bin/python bench/generate.py --collectives 100000

Runs ``migrate``, loads the normal demo (organisation tree from ``qnwmh/orgs/demo.py``, the
programme rules, ~300 demo collectives and the demo accounts of ``qnwmh/core/demo_context.py``, so
the bench can log in), then adds generated collectives up to ``--collectives`` with rosters
(COPY) and titles (bulk_create), eligibility and member counts computed on the way. The names,
people and phones come from ``qnwmh/collectives/fake.py``. Deterministic per ``--seed``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from qnwmh.collectives import demo as collectives_demo  # noqa: E402
from qnwmh.collectives import fake  # noqa: E402
from qnwmh.collectives.eligibility import check_eligibility, reference_date  # noqa: E402
from qnwmh.collectives.models import Collective, Ownership, Title  # noqa: E402
from qnwmh.core.demo_context import DemoContext  # noqa: E402
from qnwmh.orgs.models import Organisation, Town  # noqa: E402
from qnwmh.programme.models import ProgrammeRules  # noqa: E402

MAX_COLLECTIVES = 1_000_000
POSTS = ["窗口服务", "综合管理", "技术骨干", "一线操作", "志愿服务", "客户经理", "质检员", "班组长"]
# Extra vocabulary so 100,000+ names stay plausible and mostly distinct within one body.
DEPARTMENTS = [
    "",
    "",
    "一车间",
    "二车间",
    "三车间",
    "总装车间",
    "研发中心",
    "营销中心",
    "华南区",
    "物流中心",
    "品管部",
    "二分厂",
]
# Roster shapes: (weight, size range, youth share, leader age range). The last rows are
# ineligible on purpose (too small, leader over age, too few young members).
SHAPES = [
    (75, (8, 25), 0.8, (25, 37)),
    (20, (25, 60), 0.75, (27, 38)),
    (4, (60, 150), 0.7, (30, 39)),
    (0.4, (3, 5), 0.9, (26, 35)),
    (0.3, (10, 20), 0.8, (42, 50)),
    (0.3, (10, 20), 0.3, (28, 36)),
]
MEMBER_COLUMNS = (
    "collective_id",
    "name",
    "birth_date",
    "nationality",
    "post",
    "phone",
    "is_leader",
    "joined_on",
    "left_on",
)


class Facts:
    """What the eligibility check reads from a member (no model instance needed)."""

    __slots__ = ("birth_date", "is_leader", "nationality")

    def __init__(self, birth_date: datetime.date, nationality: str, is_leader: bool) -> None:
        self.birth_date = birth_date
        self.nationality = nationality
        self.is_leader = is_leader


def roster(rng: random.Random, today: datetime.date) -> list[tuple[Any, ...]]:
    """Member rows without the collective id: (name, born, nationality, post, phone, leader,
    joined, left)."""
    weights = [s[0] for s in SHAPES]
    _, (lo, hi), youth_share, (leader_lo, leader_hi) = rng.choices(SHAPES, weights)[0]
    foreign_share = 0.15 if rng.random() < 0.03 else 0.0
    rows = []
    for i in range(rng.randint(lo, hi)):
        leader = i == 0
        if leader:
            born = fake.birth_date(rng, today, leader_lo, leader_hi)
        elif rng.random() < youth_share:
            born = fake.birth_date(rng, today, 21, 34)
        else:
            born = fake.birth_date(rng, today, 37, 55)
        nationality = "XX" if not leader and rng.random() < foreign_share else "CN"
        joined = today - datetime.timedelta(days=rng.randint(30, 2500))
        rows.append(
            (
                fake.person_name(rng),
                born,
                nationality,
                rng.choice(POSTS),
                fake.phone(rng),
                leader,
                joined,
                None,
            )
        )
    # About one member in forty has left: the row stays, with a leaving date.
    for _ in range(len(rows) // 40):
        joined = today - datetime.timedelta(days=rng.randint(800, 3000))
        rows.append(
            (
                fake.person_name(rng),
                fake.birth_date(rng, today, 25, 40),
                "CN",
                rng.choice(POSTS),
                fake.phone(rng),
                False,
                joined,
                joined + datetime.timedelta(days=rng.randint(100, 700)),
            )
        )
    return rows


class Namer:
    """Collective names, unique within a body."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[tuple[int, str]] = set(Collective.objects.values_list("body_id", "name"))

    def make(self, body: Organisation, town: Town) -> tuple[str, str, str]:
        rng = self.rng
        patterns: list[tuple[str, str, str]] = []
        if body.body_kind == Organisation.BodyKind.TERRITORIAL:
            patterns = collectives_demo.TOWN_UNITS
        elif body.sector is not None:
            patterns = collectives_demo.INDUSTRY_UNITS.get(body.sector.name, [])
        if patterns and rng.random() < 0.15:
            pattern, unit, ownership = rng.choice(patterns)
            name, unit = pattern.format(t=town.name), unit.format(t=town.name)
        else:
            firm = fake.company(rng)
            name = f"{firm}{rng.choice(DEPARTMENTS)}{fake.team(rng)}"
            unit = firm
            ownership = (
                Ownership.NON_PUBLIC if rng.random() < 0.85 else Ownership.SOCIAL_ORGANISATION
            )
        base, n = name, 1
        while (body.pk, name) in self.seen:
            n += 1
            name = f"{base}（{town.name}{n}）"
        self.seen.add((body.pk, name))
        return name, unit, ownership


def load_demo(seed: int) -> DemoContext:
    """The ordinary demo: organisation tree, rules, demo collectives, demo accounts."""
    call_command("load_demo", seed=seed)
    ctx = DemoContext(seed=seed)
    ctx.city = Organisation.objects.get(kind=Organisation.Kind.CITY)
    ctx.bodies = {o.name: o for o in Organisation.objects.bodies().select_related("town", "sector")}
    ctx.extra["towns"] = list(Town.objects.all())
    return ctx


def copy_members(rows: list[tuple[Any, ...]]) -> None:
    raw = connection.connection
    assert raw is not None
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY collectives_member ({', '.join(MEMBER_COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def generate(total: int, seed: int, batch: int) -> None:
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if Organisation.objects.exists():
        sys.exit("generate: the database is not empty; use a fresh one (createdb bench100k)")
    ctx = load_demo(seed)
    rng = random.Random(seed + 1)
    ctx.rng = rng
    rules = ProgrammeRules.current()
    on = reference_date(rules)
    today = ctx.today
    towns = ctx.extra["towns"]
    bodies = list(ctx.bodies.values())
    # Bigger towns and the new-economy committee hold more collectives than the others.
    weights = [
        rng.uniform(0.5, 2.0) * (1.0 if b.body_kind == "territorial" else 1.4) for b in bodies
    ]
    namer = Namer(rng)
    have = Collective.objects.count()
    print(
        f"demo loaded in {time.monotonic() - started:.1f}s: {have} collectives; "
        f"generating {max(0, total - have)} more",
        flush=True,
    )

    made = members_made = titles_made = 0
    gen_started = time.monotonic()
    while have + made < total:
        size = min(batch, total - have - made)
        collectives: list[Collective] = []
        rosters: list[list[tuple[Any, ...]]] = []
        for body in rng.choices(bodies, weights, k=size):
            town = body.town or rng.choice(towns)
            name, unit, ownership = namer.make(body, town)
            rows = roster(rng, today)
            current = [Facts(r[1], r[2], r[5]) for r in rows if r[7] is None]
            collectives.append(
                Collective(
                    name=name,
                    work_unit=unit,
                    body=body,
                    town=town,
                    sector=body.sector,
                    ownership=ownership,
                    address=f"广东省中山市{town.name}{rng.randint(1, 300)}号",
                    supervision_phone=f"0760-{rng.randint(22000000, 89999999)}",
                    supervision_email=f"qnwmh{rng.randint(1000, 99999)}@zs.example.cn",
                    pledges=collectives_demo.PLEDGES,
                    eligibility=check_eligibility(current, rules, on).status,
                    member_count=len(current),
                )
            )
            rosters.append(rows)
        with transaction.atomic():
            Collective.objects.bulk_create(collectives, batch_size=1000)
            member_rows = [
                (c.pk, *row) for c, rows in zip(collectives, rosters, strict=True) for row in rows
            ]
            copy_members(member_rows)
            titles: list[Title] = []
            for i, c in enumerate(collectives):
                titles += collectives_demo._titles(ctx, c, made + i)
            Title.objects.bulk_create(titles, batch_size=2000)
        made += size
        members_made += len(member_rows)
        titles_made += len(titles)
        elapsed = time.monotonic() - gen_started
        rows_total = made + members_made + titles_made
        print(
            f"{have + made:>9} collectives  {members_made:>10} members  {titles_made:>8} titles  "
            f"{rows_total / elapsed:>9.0f} rows/s  ({made / elapsed:.0f} collectives/s)",
            flush=True,
        )

    with connection.cursor() as cur:
        for table in ("collectives_collective", "collectives_member", "collectives_title"):
            cur.execute(f"VACUUM ANALYZE {table}")
    print(f"done in {time.monotonic() - started:.1f}s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--collectives",
        type=int,
        default=100_000,
        help=f"total collectives (default 100000, at most {MAX_COLLECTIVES})",
    )
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--batch", type=int, default=5000, help="collectives per transaction")
    args = parser.parse_args()
    if not 1 <= args.collectives <= MAX_COLLECTIVES:
        parser.error(f"--collectives must be between 1 and {MAX_COLLECTIVES}")
    if connection.vendor != "postgresql":
        parser.error("set DATABASE_URL to a PostgreSQL database (postgres://...)")
    generate(args.collectives, args.seed, args.batch)


if __name__ == "__main__":
    main()
