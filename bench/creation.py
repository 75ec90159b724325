"""Add five cycles of creation logs to the bench database (issue 5: log list and compliance).

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/creation.py

Run it after ``generate.py``. It opens the 19th–23rd cycles (registration years 2017–2025; the
23rd, 2025–2026, is the current one), registers a share of the untitled eligible collectives in
the current cycle, then writes about ``--per-cycle`` log entries per collective and cycle (30–90,
60 on average: a titled collective's open week every few weeks plus drills, trainings, meetings,
honours) so that 100,000 collectives hold about 30,000,000 entries. Open weeks fall about once
a month, with gaps, and one entry in nine has no evidence, so months and collectives come out
compliant and not. Entries of the current cycle stop at today.

The rows are written by PostgreSQL itself (``INSERT … SELECT`` over ``generate_series``, one
statement per cycle and entry number, so each collective's entries are scattered through the
table as they would be after two years of use), with the secondary indexes dropped first and
rebuilt at the end, then the compliance tallies are recomputed from the log
(``creation.tallies.rebuild``, as ``manage.py rebuild_tallies`` does). Deterministic: no
randomness, only arithmetic on ids.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SESSIONS = [(19, 2017), (20, 2019), (21, 2021), (22, 2023), (23, 2025)]
OTHER_KINDS = [
    ("job_drill", "岗位练兵：业务技能比武", "服务大厅"),
    ("themed_training", "主题培训：青年文明号管理办法学习", "会议室"),
    ("volunteer_service", "青年志愿服务进社区", "社区服务站"),
    ("exchange_visit", "号号联创交流互访", "兄弟单位"),
    ("meeting", "创建领导小组季度会议", "会议室"),
    ("rule_adopted", "制定岗位服务规范", "本单位"),
    ("honour", "获评优质服务窗口", "本单位"),
    ("other", "青年文明号开放日筹备", "本单位"),
]


def cycles() -> list[int]:
    from qnwmh.cycles.models import Cycle, Phase

    ids = []
    for session, reg in SESSIONS:
        current = reg == 2025
        cycle, _ = Cycle.objects.get_or_create(
            session_no=session,
            defaults={
                "registration_year": reg,
                "certification_year": reg + 1,
                "phase": Phase.CERTIFICATION if current else Phase.CLOSED,
                "registration_opens_on": datetime.date(reg, 1, 1),
                "registration_closes_on": datetime.date(reg, 3, 31),
                "creation_ends_on": datetime.date(reg + 1, 4, 30),
                "certification_starts_on": datetime.date(reg + 1, 5, 1),
                "certification_ends_on": datetime.date(reg + 1, 12, 31),
            },
        )
        ids.append(cycle.pk)
    return ids


REGISTER = """
INSERT INTO cycles_registration (code, number, ownership, status, plan_summary, leader_name,
    leader_phone, leading_group, pledge, special_recommendation, eligibility, eligibility_checks,
    filed_at, review_reason, updated_at, body_id, collective_id, cycle_id, town_id)
SELECT 'R' || lpad(upper(to_hex(c.id)), 11, '0'), '2025-B' || lpad(c.id::text, 7, '0'),
    c.ownership, 'filed', '围绕岗位服务开展创建', '号长', '', '单位负责人 组长', '热情服务，接受监督',
    false, c.eligibility, '[]'::jsonb, '2025-02-01 09:00+08', '', now(), c.body_id, c.id, %s,
    c.town_id
FROM collectives_collective c
WHERE c.status = 'active' AND c.eligibility <> 'not_met' AND c.id %% 5 = 0
  AND NOT EXISTS (SELECT 1 FROM collectives_title t WHERE t.collective_id = c.id
                  AND t.status = 'active')
  AND NOT EXISTS (SELECT 1 FROM cycles_registration r WHERE r.collective_id = c.id
                  AND r.cycle_id = %s)
"""

# One statement per (cycle, entry number n): the entries number n of every collective that has
# at least n entries in that cycle (30 + id·37 mod 61 of them, 60 on average).
ENTRIES = """
INSERT INTO creation_logentry (code, kind, title, occurred_on, ends_on, place, participants,
    description, public, evidence_count, revision, created_at, updated_at, collective_id,
    cycle_id)
SELECT 'L' || lpad(upper(to_hex(nextval('bench_entry_code'))), 11, '0'), k.kind, k.title,
    d.day, CASE WHEN k.kind = 'open_week' THEN d.day + 6 END, k.place, 10 + (c.id + %(n)s) %% 40,
    k.title || '。组织青年职工参加，做好记录和照片留痕。', k.kind = 'open_week',
    CASE WHEN (c.id + %(n)s * 7) %% 9 = 0 THEN 0 ELSE 1 + (c.id + %(n)s) %% 4 END, 1,
    d.day + time '18:00', d.day + time '18:00', c.id, %(cycle)s
FROM collectives_collective c
CROSS JOIN LATERAL (SELECT %(start)s::date + ((%(n)s - 1) * %(step)s + c.id %% 11)::int AS day) d
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES %(kinds)s) AS v(kind, title, place)
    WHERE v.kind = CASE WHEN %(n)s %% 2 = 1 THEN 'open_week'
                        ELSE (ARRAY[%(others)s])[1 + (%(n)s / 2 + c.id) %% 8] END
) k
WHERE 30 + (c.id * 37) %% 61 >= %(n)s AND d.day <= %(today)s
"""


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(name, CREATE INDEX …) of the indexes that back no constraint."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND NOT EXISTS (
               SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""",
        [table],
    )
    return list(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-cycle", type=int, default=60, help="average entries per cycle")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from qnwmh.creation.tallies import rebuild

    started = time.perf_counter()
    cycle_ids = cycles()
    current = cycle_ids[-1]
    today = timezone.localdate()
    step = max(1, 720 // args.per_cycle)  # spread the entries over the cycle's two years
    kinds = ", ".join(
        f"('{k}', '{t}', '{p}')" for k, t, p in [("open_week", "青年文明号开放周", "服务窗口")]
    )
    kinds += ", " + ", ".join(f"('{k}', '{t}', '{p}')" for k, t, p in OTHER_KINDS)
    others = ", ".join(f"'{k}'" for k, _, _ in OTHER_KINDS)
    top = 30 + 60  # the largest per-collective count of 30 + (id·37 mod 61)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        with transaction.atomic():
            cursor.execute(REGISTER, [current, current])
            print(f"registered {cursor.rowcount:,} collectives in the current cycle", flush=True)
        dropped = secondary_indexes(cursor, "creation_logentry")
        for name, _ in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS bench_entry_code")
        total = 0
        for cycle_id, (_, reg) in zip(cycle_ids, SESSIONS, strict=True):
            for n in range(1, top + 1):
                cursor.execute(
                    ENTRIES
                    % {
                        "n": n,
                        "cycle": cycle_id,
                        "start": f"'{reg}-01-01'",
                        "step": step,
                        "today": f"'{today.isoformat()}'",
                        "kinds": kinds,
                        "others": others,
                    }
                )
                total += cursor.rowcount
            rate = total / (time.perf_counter() - started)
            print(f"cycle {reg}: {total:>11,} entries so far, {rate:,.0f} rows/s", flush=True)
        for name, definition in dropped:
            t = time.perf_counter()
            cursor.execute(definition)
            print(f"index {name}: {time.perf_counter() - t:.0f} s", flush=True)
        t = time.perf_counter()
        tallies = rebuild()  # what the services keep per collective and cycle
        print(f"tallies: {tallies:,} in {time.perf_counter() - t:.0f} s", flush=True)
        for table in ("creation_logentry", "creation_creationtally", "cycles_registration"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('creation_logentry'))")
        size = cursor.fetchone()[0]
    print(f"done: {total:,} entries ({size} with indexes) in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
