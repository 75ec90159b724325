"""Fill a PostgreSQL database with a large, realistic Zhongshan programme for the benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15c_million \\
        .venv/bin/python bench/generate.py --collectives 1000000

One command builds the whole scale: ``migrate``; the normal demo (``load_demo``: organisation
tree, programme rules, ~300 demo collectives, cycles and the demo accounts, so the bench can
sign in); then collectives up to ``--collectives`` (names in Python, written with COPY),
rosters, titles, registrations, creation log entries (``creation.py``), complaints and ratings
(``complaints.py``), all written by PostgreSQL itself (``INSERT … SELECT``, seeded hashes of
ids, no ORM saves). Eligibility and member counts come from the app's own
``check_eligibility``, evaluated once per distinct roster profile. Ends with
``manage.py rebuild_tallies``, ``rebuild_registration_counts``, ``rebuild_collective_counts``
and ``VACUUM ANALYZE``, and prints time and rows/s per step.
Deterministic per ``--seed``.
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

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")

import django  # noqa: E402

django.setup()

import complaints as complaints_data  # noqa: E402
import creation as creation_data  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from sqlgen import CODE_FUNCTION, Hasher, Stats, bulk_load, code_py, lit, pick  # noqa: E402

from qnwmh.collectives import demo as collectives_demo  # noqa: E402
from qnwmh.collectives import fake  # noqa: E402
from qnwmh.collectives.eligibility import age_on, check_eligibility, reference_date  # noqa: E402
from qnwmh.collectives.models import Collective, Ownership  # noqa: E402
from qnwmh.core.collation import pinyin_key  # noqa: E402
from qnwmh.core.demo_context import DemoContext  # noqa: E402
from qnwmh.orgs.models import Organisation, Town  # noqa: E402
from qnwmh.programme.models import ProgrammeRules  # noqa: E402

MAX_COLLECTIVES = 1_000_000
COLLECTIVE_SALT, TITLE_SALT = 11, 12
POSTS = ["窗口服务", "综合管理", "技术骨干", "一线操作", "志愿服务", "客户经理", "质检员", "班组长"]
# Extra vocabulary so a million names stay plausible; duplicates within a body get a suffix.
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
# Roster shapes: (per mille, size range, youth %, leader age range). The last rows are
# ineligible on purpose (too small, leader over age, too few young members).
SHAPES = [
    (750, (8, 25), 80, (25, 37)),
    (200, (25, 60), 75, (27, 38)),
    (40, (60, 150), 70, (30, 39)),
    (4, (3, 5), 90, (26, 35)),
    (3, (10, 20), 80, (42, 50)),
    (3, (10, 20), 30, (28, 36)),
]
COLLECTIVE_COLUMNS = (
    "code",
    "name",
    "sort_key",
    "work_unit",
    "body_id",
    "town_id",
    "sector_id",
    "ownership",
    "address",
    "supervision_phone",
    "supervision_email",
    "pledges",
    "photo",
    "status",
    "eligibility",
    "member_count",
    "created_at",
    "updated_at",
)


class Namer:
    """Collective names, unique within a body, with their pinyin sort key. The key of a name
    is its base's key plus the suffix's (a full-width bracket breaks pypinyin's phrases, so
    the two compose exactly); bases repeat, so each is converted once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[tuple[int, str]] = set(Collective.objects.values_list("body_id", "name"))
        self.keys: dict[str, str] = {}
        self.uses: dict[tuple[int, str], int] = {}

    def key(self, text: str) -> str:
        if text not in self.keys:
            self.keys[text] = pinyin_key(text)
        return self.keys[text]

    def make(self, body: Organisation, town: Town) -> tuple[str, str, str, str]:
        rng = self.rng
        patterns: list[tuple[str, str, str]] = []
        if body.body_kind == Organisation.BodyKind.TERRITORIAL:
            patterns = collectives_demo.TOWN_UNITS
        elif body.sector is not None:
            patterns = collectives_demo.INDUSTRY_UNITS.get(body.sector.name, [])
        if patterns and rng.random() < 0.15:
            pattern, unit, ownership = rng.choice(patterns)
            base, unit = pattern.format(t=town.name), unit.format(t=town.name)
        else:
            firm = fake.company(rng)
            base = f"{firm}{rng.choice(DEPARTMENTS)}{fake.team(rng)}"
            unit = firm
            ownership = (
                Ownership.NON_PUBLIC if rng.random() < 0.85 else Ownership.SOCIAL_ORGANISATION
            )
        # The n-th use of a base in a body gets the suffix n (a counter: the demo's patterns
        # repeat thousands of times in a body at a million, too many to probe one by one).
        name, key = base, self.key(base)
        n = self.uses.get((body.pk, base), 1)
        while (body.pk, name) in self.seen:
            n += 1
            suffix = f"（{town.name}{n}）"
            name, key = base + suffix, f"{self.key(base)} （ {self.key(town.name)} {n}）"
        self.uses[(body.pk, base)] = n
        self.seen.add((body.pk, name))
        return name, key, unit, ownership


def load_demo(seed: int) -> DemoContext:
    """The ordinary demo: organisation tree, rules, demo collectives, cycles, demo accounts."""
    call_command("load_demo", seed=seed)
    ctx = DemoContext(seed=seed)
    ctx.city = Organisation.objects.get(kind=Organisation.Kind.CITY)
    ctx.bodies = {o.name: o for o in Organisation.objects.bodies().select_related("town", "sector")}
    ctx.extra["towns"] = list(Town.objects.all())
    return ctx


def copy_collectives(ctx: DemoContext, count: int, rng: random.Random, stats: Stats) -> int:
    """Write ``count`` collectives with COPY; returns the last id before them."""
    towns = ctx.extra["towns"]
    bodies = list(ctx.bodies.values())
    # Bigger towns and the new-economy committee hold more collectives than the others.
    weights = [
        rng.uniform(0.5, 2.0) * (1.0 if b.body_kind == "territorial" else 1.4) for b in bodies
    ]
    namer = Namer(rng)
    now = datetime.datetime.now(datetime.UTC)
    after = Collective.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with stats.step("collectives (COPY)") as out:
        raw = connection.connection
        assert raw is not None
        with (
            raw.cursor() as cur,
            cur.copy(
                f"COPY collectives_collective ({', '.join(COLLECTIVE_COLUMNS)}) FROM STDIN"
            ) as copy,
        ):
            for i, body in enumerate(rng.choices(bodies, weights, k=count)):
                town = body.town or rng.choice(towns)
                name, key, unit, ownership = namer.make(body, town)
                copy.write_row(
                    (
                        code_py(after + 1 + i, COLLECTIVE_SALT + ctx.seed),
                        name,
                        key,
                        unit,
                        body.pk,
                        town.pk,
                        body.sector_id,
                        ownership,
                        f"广东省中山市{town.name}{rng.randint(1, 300)}号",
                        f"0760-{rng.randint(22000000, 89999999)}",
                        f"qnwmh{rng.randint(1000, 99999)}@zs.example.cn",
                        collectives_demo.PLEDGES,
                        "",
                        "active",
                        "not_met",
                        0,
                        now,
                        now,
                    )
                )
        out["rows"] = count
    return after


def members_sql(h: Hasher, after: int, today: datetime.date) -> str:
    """Rosters: a shape per collective, then one row per member (the first is the leader);
    about one in forty more who left (kept with a leaving date), so about half the rosters
    have someone who left."""
    shapes = ", ".join(
        f"({sum(s[0] for s in SHAPES[:i])}, {sum(s[0] for s in SHAPES[: i + 1])}, "
        f"{lo}, {hi}, {youth}, {llo}, {lhi})"
        for i, (_, (lo, hi), youth, (llo, lhi)) in enumerate(SHAPES)
    )
    k = "(c.id * 256 + i)"  # one key per member (rosters stay below 256 rows)

    def birth(lo: str, hi: str, salt: int) -> str:
        # The low byte of the age in days is the member's number, so no two current members
        # of a roster share a birth date: one_current_row_per_person holds by construction
        # and its index can be built after the load.
        raw = f"({lo} * 365 + 30 + {h(k, salt, f'(({hi}) - ({lo})) * 365 + 271')})::int"
        return f"'{today}'::date - ({raw} - {raw} % 256 + i)"

    young = f"{h(k, 4, 100)} < c.youth"
    foreign = f"c.foreign AND i > 1 AND i <= c.size AND {h(k, 9, 100)} < 15"
    given = f"substr({lit(fake.GIVEN)}, 1 + {h(k, 6, len(fake.GIVEN))}::int, 1)"
    given2 = f"substr({lit(fake.GIVEN)}, 1 + {h(k, 7, len(fake.GIVEN))}::int, 1)"
    joined = f"'{today}'::date - (30 + {h(k, 10, 2471)})::int"
    left_joined = f"'{today}'::date - (800 + {h(k, 10, 2201)})::int"
    return f"""
INSERT INTO collectives_member (collective_id, name, birth_date, nationality, post, phone,
    is_leader, joined_on, left_on)
SELECT c.id,
    substr({lit(fake.SURNAMES)}, 1 + {h(k, 5, len(fake.SURNAMES))}::int, 1) || {given}
        || CASE WHEN {h(k, 8, 3)} > 0 THEN {given2} ELSE '' END,
    CASE WHEN i = 1 THEN {birth("c.llo", "c.lhi", 1)}
         WHEN i > c.size THEN {birth("25", "40", 2)}
         WHEN {young} THEN {birth("21", "34", 2)}
         ELSE {birth("37", "55", 3)} END,
    CASE WHEN {foreign} THEN 'XX' ELSE 'CN' END,
    {pick(h(k, 11, len(POSTS)), [lit(p) for p in POSTS])},
    {pick(h(k, 12, 8), [lit(p) for p in ("138", "139", "135", "137", "150", "186", "189", "133")])}
        || lpad({h(k, 13, 10**8)}::text, 8, '0'),
    i = 1,
    CASE WHEN i > c.size THEN {left_joined} ELSE {joined} END,
    CASE WHEN i > c.size THEN {left_joined} + (100 + {h(k, 14, 601)})::int END
FROM (
    SELECT c.id, s.youth, s.llo, s.lhi, s.lo + {h("c.id", 2, 1000)}::int % (s.hi - s.lo + 1) AS size,
        {h("c.id", 3, 100)} < 3 AS foreign,
        (s.lo + {h("c.id", 2, 1000)}::int % (s.hi - s.lo + 1) + {h("c.id", 15, 40)}::int) / 40
            AS gone
    FROM collectives_collective c
    JOIN (VALUES {shapes}) AS s(r0, r1, lo, hi, youth, llo, lhi)
      ON {h("c.id", 1, 1000)} >= s.r0 AND {h("c.id", 1, 1000)} < s.r1
    WHERE c.id > {after}
) c
CROSS JOIN LATERAL generate_series(1, c.size + c.gone) AS i
"""


def youth_cut(on: datetime.date, age_max: int) -> datetime.date:
    """The earliest birth date still counted young on ``on`` (age_on is monotone in it)."""
    day = datetime.date(on.year - age_max - 2, 1, 1)
    while age_on(day, on) > age_max:
        day += datetime.timedelta(days=1)
    return day


class Profile:
    """Synthetic members that reproduce one roster profile for ``check_eligibility``."""

    __slots__ = ("birth_date", "is_leader", "nationality")

    def __init__(self, birth: datetime.date, nationality: str, leader: bool) -> None:
        self.birth_date, self.nationality, self.is_leader = birth, nationality, leader


def profile_status(profile: tuple[int, ...], rules: Any, on: datetime.date) -> str:
    n, youth, nationals, leaders, leader_age, leader_cn = profile
    young = datetime.date(on.year - rules.youth_age_max, 1, 1)
    old = datetime.date(on.year - rules.youth_age_max - 2, 1, 1)
    members: list[Profile] = []
    if leaders == 1:
        members.append(
            Profile(datetime.date(on.year - leader_age, 1, 1), "CN" if leader_cn else "XX", True)
        )
        youth -= int(leader_age <= rules.youth_age_max)
        nationals -= int(bool(leader_cn))
    else:
        members += [Profile(young, "CN", True) for _ in range(leaders)]  # status NOT_MET anyway
        youth, nationals = youth - leaders, nationals - leaders
    for i in range(n - len(members)):
        members.append(Profile(young if i < youth else old, "CN" if i < nationals else "XX", False))
    return str(check_eligibility(members, rules, on).status)


def eligibility(cursor: Any, after: int, stats: Stats) -> None:
    """Eligibility and member counts from the rosters: one grouped pass, the app's check once
    per distinct (size, young, nationals, leaders, leader's age, leader national) profile."""
    rules = ProgrammeRules.current()
    on = reference_date(rules)
    cut = youth_cut(on, rules.youth_age_max)
    leader_age = (
        f"extract(year FROM DATE '{on}')::int - extract(year FROM birth_date)::int"
        f" - (to_char(birth_date, 'MMDD') > '{on:%m%d}')::int"
    )
    with stats.step("eligibility and member counts") as out:
        cursor.execute(f"""
            CREATE TEMP TABLE bench_facts AS
            SELECT collective_id AS id, count(*)::int AS n,
                count(*) FILTER (WHERE birth_date >= DATE '{cut}')::int AS youth,
                count(*) FILTER (WHERE nationality = 'CN')::int AS nationals,
                count(*) FILTER (WHERE is_leader)::int AS leaders,
                coalesce(max(CASE WHEN is_leader THEN {leader_age} END), -1) AS leader_age,
                coalesce(bool_or(nationality = 'CN') FILTER (WHERE is_leader), false) AS leader_cn
            FROM collectives_member WHERE left_on IS NULL AND collective_id > {after}
            GROUP BY collective_id""")
        cursor.execute(
            "SELECT DISTINCT n, youth, nationals, leaders, leader_age, leader_cn FROM bench_facts"
        )
        profiles = cursor.fetchall()
        cursor.execute(
            "CREATE TEMP TABLE bench_status (n int, youth int, nationals int, leaders int,"
            " leader_age int, leader_cn bool, status text)"
        )
        columns = list(zip(*[(*p, profile_status(p, rules, on)) for p in profiles], strict=True))
        cursor.execute(
            "INSERT INTO bench_status SELECT * FROM unnest(%s::int[], %s::int[], %s::int[],"
            " %s::int[], %s::int[], %s::bool[], %s::text[])",
            [list(col) for col in columns] if profiles else [[]] * 7,
        )
        cursor.execute("""
            UPDATE collectives_collective c SET eligibility = s.status, member_count = f.n
            FROM bench_facts f JOIN bench_status s USING (n, youth, nationals, leaders,
                leader_age, leader_cn)
            WHERE c.id = f.id""")
        out["rows"] = cursor.rowcount
        print(f"  {len(profiles):,} distinct roster profiles", flush=True)
        cursor.execute("DROP TABLE bench_facts, bench_status")


def titles_sql(h: Hasher, after: int, seed: int) -> str:
    """Titles as the demo hands them out (``collectives.demo._titles``): 45% a city title of
    one of five sessions, 9% also provincial, 1.5% also national, 4% only an ended one."""
    roll = h("c.id", 20, 10_000)
    city = h("c.id", 21, 5)
    kinds = [
        # (kind no, condition, level, session, year, stars, awarded, status, ended, reason)
        (
            0,
            f"{roll} < 4500",
            "city",
            f"(ARRAY[18, 19, 20, 21, 22])[1 + {city}]",
            f"(ARRAY[2016, 2018, 2020, 2022, 2024])[1 + {city}]",
            f"least(3, 1 + (2024 - (ARRAY[2016, 2018, 2020, 2022, 2024])[1 + {city}]) / 4)",
            f"make_date((ARRAY[2016, 2018, 2020, 2022, 2024])[1 + {city}], 12, 20)",
            "'active'",
            "NULL::date",
            "''",
        ),
        (
            1,
            f"{roll} < 900",
            "provincial",
            f"19 + {h('c.id', 22, 3)}",
            f"2019 + 2 * {h('c.id', 22, 3)}",
            f"1 + {h('c.id', 23, 2)}",
            f"make_date((2019 + 2 * {h('c.id', 22, 3)})::int, 11, 1)",
            "'active'",
            "NULL::date",
            "''",
        ),
        (
            2,
            f"{roll} < 150",
            "national",
            "20",
            "2021",
            "1",
            "DATE '2021-12-01'",
            "'active'",
            "NULL::date",
            "''",
        ),
        (
            3,
            f"{roll} >= 4500 AND {roll} < 4700",
            "city",
            "17",
            "2014",
            "1",
            "DATE '2014-12-20'",
            "'revoked'",
            "DATE '2021-03-15'",
            lit("年度复核不合格，整改期满仍未达标"),
        ),
        (
            4,
            f"{roll} >= 4700 AND {roll} < 4900",
            "city",
            "16",
            "2012",
            "1",
            "DATE '2012-12-20'",
            "'expired'",
            "DATE '2020-06-30'",
            lit("单位机构改革撤并"),
        ),
    ]
    selects = [
        f"""SELECT {code_sql_title(f"c.id * 8 + {no}", seed)}, c.id, '{level}', ({stars})::int,
            ({session})::int, ({year})::int, {status}, {awarded}, {ended}, {reason}, ''
        FROM collectives_collective c WHERE c.id > {after} AND {cond}"""
        for no, cond, level, session, year, stars, awarded, status, ended, reason in kinds
    ]
    return (
        "INSERT INTO collectives_title (code, collective_id, level, stars, session_no, year,"
        " status, awarded_on, ended_on, end_reason, external_id)\n" + "\nUNION ALL\n".join(selects)
    )


def code_sql_title(expr: str, seed: int) -> str:
    from sqlgen import code_sql

    return code_sql(expr, TITLE_SALT + seed)


def check_sort_keys(cursor: Any, after: int, sample: int = 2000) -> int:
    """Sort keys are composed, not converted one by one: compare a sample with the app's."""
    cursor.execute(
        f"SELECT name, sort_key FROM collectives_collective WHERE id > {after}"
        f" ORDER BY id DESC LIMIT {sample}"
    )
    return sum(1 for name, key in cursor.fetchall() if pinyin_key(name) != key)


def generate(args: argparse.Namespace) -> None:
    stats = Stats()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stats.backend = cursor.fetchone()[0]
    with stats.step("migrate and load_demo"):
        call_command("migrate", verbosity=0, interactive=False)
        if Organisation.objects.exists():
            sys.exit("generate: the database is not empty; use a fresh one (createdb …)")
        ctx = load_demo(args.seed)
    rng = random.Random(args.seed + 1)
    h = Hasher(args.seed)
    today = ctx.today
    have = Collective.objects.count()
    count = max(0, args.collectives - have)
    print(f"demo: {have} collectives; generating {count:,} more", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(CODE_FUNCTION)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        # Rows are valid by construction: skip the per-row foreign key triggers while loading.
        cursor.execute("SET session_replication_role = replica")
        # The collectives' indexes (trigram ones included) are built once their eligibility
        # and member counts are set: updating a million indexed rows would cost more.
        with bulk_load(cursor, "collectives_collective", stats):
            with transaction.atomic():
                after = copy_collectives(ctx, count, rng, stats)
            with bulk_load(cursor, "collectives_member", stats), stats.step("members") as out:
                cursor.execute(members_sql(h, after, today))
                out["rows"] = cursor.rowcount
            eligibility(cursor, after, stats)
        with stats.step("titles") as out:
            cursor.execute(titles_sql(h, after, args.seed))
            out["rows"] = cursor.rowcount
        for table in ("collectives_collective", "collectives_member", "collectives_title"):
            cursor.execute(f"ANALYZE {table}")
        creation_data.build(cursor, h, args.seed, args.entries * args.collectives, stats)
        complaints_data.build(cursor, h, args.seed, args.collectives // 10, stats)
        cursor.execute("SET session_replication_role = origin")
        wrong = check_sort_keys(cursor, after)
        print(f"sort keys: {wrong} of 2,000 sampled differ from pinyin_key(name)", flush=True)
    with stats.step("rebuild_tallies"):
        call_command("rebuild_tallies")
    with stats.step("rebuild_registration_counts"):
        call_command("rebuild_registration_counts")
    with stats.step("rebuild_collective_counts"):
        call_command("rebuild_collective_counts")
    with stats.step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    report(stats)


def report(stats: Stats) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP FUNCTION IF EXISTS bench_code(bigint)")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute(
            """SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid))
               FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 12"""
        )
        tables = cursor.fetchall()
    print()
    print(stats.table())
    print()
    print(f"database size {size}; load average {sys_load()}")
    for name, rows, tsize in tables:
        print(f"  {name:<40} {rows:>12,} rows {tsize:>10}")


def sys_load() -> str:
    from sqlgen import load

    return load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--collectives",
        type=int,
        default=100_000,
        help=f"total collectives (default 100000, at most {MAX_COLLECTIVES})",
    )
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument(
        "--entries", type=int, default=30, help="creation log entries per collective (default 30)"
    )
    args = parser.parse_args()
    if not 1 <= args.collectives <= MAX_COLLECTIVES:
        parser.error(f"--collectives must be between 1 and {MAX_COLLECTIVES}")
    if connection.vendor != "postgresql":
        parser.error("set DATABASE_URL to a PostgreSQL database (postgres://...)")
    started = time.monotonic()
    generate(args)
    print(f"done in {time.monotonic() - started:.1f}s", flush=True)


if __name__ == "__main__":
    main()
