"""Registrations and creation log entries for the bench database (issue 5 and 15 §3).

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15c_million .venv/bin/python bench/creation.py

``generate.py`` calls ``build`` (one command builds the whole scale); run this script alone only
on a database generated without it. The log goes where the compliance pages look:

- registrations: a fifth of the untitled eligible collectives registered in the current cycle
  (submitted, accepted or returned: it is open) and another fifth in the previous, closed one
  (filed);
- the previous cycle's creating collectives (titled or registered there) log an open week in
  almost every month from its opening until the current cycle opened (one month in 25 left
  empty, one entry in nine without evidence), plus drills, trainings, meetings, volunteering,
  honours spread over the cycle, so that the whole log holds ``--entries`` per collective
  (30 by default: 30 M at a million collectives);
- the current cycle's creating collectives log its first weeks (an open week and a few others,
  up to today).

Rows are written by PostgreSQL (``INSERT … SELECT``; seeded hashes of ids, codes in the app's
alphabet), with the log's secondary indexes dropped during the load and rebuilt after; the
derived creation rows are then rebuilt by ``manage.py rebuild_tallies``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

REGISTRATION_SALT, ENTRY_SALT = 31, 32
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
PLAN = "以“岗位练兵+开放周”为主要载体，每季度开展一次岗位练兵，每月举办开放周活动。"
GROUP = "单位负责人 组长\n号长 副组长\n团支部书记 成员"
PLEDGE = "亮形象、亮身份、亮承诺，热情服务，接受社会监督。"


def registrations_sql(h: Any, cycle: Any, slot: int, statuses: list[str], seed: int) -> str:
    from sqlgen import code_sql, lit, pick

    status = pick(h("c.id", 33, len(statuses)), [lit(s) for s in statuses])
    return f"""
INSERT INTO cycles_registration (code, number, ownership, status, plan_summary, leader_name,
    leader_phone, leading_group, pledge, special_recommendation, eligibility, eligibility_checks,
    filed_at, review_reason, updated_at, body_id, collective_id, cycle_id, town_id)
SELECT {code_sql(f"c.id * 64 + {cycle.session_no % 64}", REGISTRATION_SALT + seed)},
    '{cycle.session_no}-B' || lpad(c.id::text, 7, '0'), c.ownership, {status}, {lit(PLAN)},
    '号长', '', {lit(GROUP)}, {lit(PLEDGE)}, false, c.eligibility, '[]'::jsonb,
    DATE '{cycle.registration_opens_on}' + time '09:00' + ({h("c.id", 34, 30)} || ' days')::interval,
    '', now(), c.body_id, c.id, {cycle.pk}, c.town_id
FROM collectives_collective c
WHERE c.status = 'active' AND c.eligibility <> 'not_met' AND {h("c.id", 30, 5)} = {slot}
  AND NOT EXISTS (SELECT 1 FROM collectives_title t WHERE t.collective_id = c.id
                  AND t.status = 'active')
  AND NOT EXISTS (SELECT 1 FROM cycles_registration r WHERE r.collective_id = c.id
                  AND r.cycle_id = {cycle.pk})
"""


def within_quotas_sql(cycle: Any) -> str:
    """Back to awaiting review: the accepted registrations beyond their body's quota, which
    the service would have refused (``registration_accept`` holds a body to its quota)."""
    return f"""
UPDATE cycles_registration r SET status = 'submitted'
FROM (SELECT id, body_id, row_number() OVER (PARTITION BY body_id ORDER BY id) AS n
      FROM cycles_registration WHERE cycle_id = {cycle.pk} AND status = 'accepted') a
LEFT JOIN cycles_quota q ON q.cycle_id = {cycle.pk} AND q.body_id = a.body_id
WHERE r.id = a.id AND a.n > coalesce(q.override, q.computed, 0)
"""


def creating(cursor: Any, cycle: Any, start: datetime.date, stop: datetime.date) -> int:
    """Stage the cycle's creating collectives (an active title, or a live registration)."""
    cursor.execute(f"""
        INSERT INTO bench_creating (id, cycle_id, start, stop)
        SELECT c.id, {cycle.pk}, DATE '{start}', DATE '{stop}' FROM collectives_collective c
        WHERE c.status = 'active' AND (
            EXISTS (SELECT 1 FROM collectives_title t
                    WHERE t.collective_id = c.id AND t.status = 'active')
            OR EXISTS (SELECT 1 FROM cycles_registration r WHERE r.collective_id = c.id
                       AND r.cycle_id = {cycle.pk}
                       AND r.status IN ('submitted', 'returned', 'accepted', 'filed')))""")
    return int(cursor.rowcount)


ENTRY_COLUMNS = (
    "id, code, kind, title, occurred_on, ends_on, place, participants, description, public,"
    " evidence_count, revision, created_at, updated_at, collective_id, cycle_id, origin"
)


# One creating collective in this many has already planned the open week of the current month
# that is still to come (the rest log theirs when it happens): the public calendar then holds
# the weeks under way and a few planned ones, not every collective's next week.
PLANNED_ONE_IN = 20


def open_weeks_sql(h: Any, months: list[datetime.date], seed: int, today: datetime.date) -> str:
    """One open week a month per creating collective, from the month its cycle opened to the
    month it stops; one month in 25 left empty. A week drawn after the collective's last
    day is not logged, except in the current month, where one collective in
    ``PLANNED_ONE_IN`` has planned it ahead."""
    from sqlgen import code_sql

    values = ", ".join(f"({i}, DATE '{m}')" for i, m in enumerate(months))
    key = "(b.id * 64 + m.i)"
    day = f"greatest(m.month, b.start) + {h(key, 40, 21)}::int"
    planned = f"(b.stop = DATE '{today}' AND {h(key, 51, PLANNED_ONE_IN)} = 0)"
    return f"""
INSERT INTO creation_logentry ({ENTRY_COLUMNS})
SELECT e.id, {code_sql("e.id", ENTRY_SALT + seed)}, 'open_week', '青年文明号开放周', e.day,
    e.day + 6, '服务窗口', e.participants, '青年文明号开放周：亮牌服务，做好记录和照片留痕。', true,
    e.evidence, 1, least(e.day, DATE '{today}') + time '18:00',
    least(e.day, DATE '{today}') + time '18:00', e.collective_id, e.cycle_id, ''
FROM (
    SELECT nextval(pg_get_serial_sequence('creation_logentry', 'id')) AS id, b.id AS collective_id,
        b.cycle_id, {day} AS day, 10 + {h(key, 41, 40)}::int AS participants,
        CASE WHEN {h(key, 42, 9)} = 0 OR {day} > DATE '{today}' THEN 0
             ELSE 1 + {h(key, 43, 4)}::int END AS evidence
    FROM bench_creating b
    JOIN (VALUES {values}) AS m(i, month)
      ON m.month >= date_trunc('month', b.start) AND m.month <= b.stop
    WHERE {h(key, 44, 25)} <> 0 AND ({day} <= b.stop OR {planned})
) e
"""


def others_sql(h: Any, seed: int) -> str:
    """``k`` other entries per creating collective and cycle, spread evenly over its window."""
    from sqlgen import code_sql, lit

    kinds = ", ".join(
        f"({i}, {lit(k)}, {lit(t)}, {lit(p)})" for i, (k, t, p) in enumerate(OTHER_KINDS)
    )
    key = "(b.id * 256 + n)"
    width = "greatest(1, (b.stop - b.start) / b.k)"
    return f"""
INSERT INTO creation_logentry ({ENTRY_COLUMNS})
SELECT e.id, {code_sql("e.id", ENTRY_SALT + seed)}, k.kind, k.title, e.day, NULL, k.place,
    e.participants, k.title || '。组织青年职工参加，做好记录和照片留痕。', false, e.evidence, 1,
    e.day + time '18:00', e.day + time '18:00', e.collective_id, e.cycle_id, ''
FROM (
    SELECT nextval(pg_get_serial_sequence('creation_logentry', 'id')) AS id, b.id AS collective_id,
        b.cycle_id, least(b.start + (n - 1) * (b.stop - b.start) / b.k
                          + {h(key, 45, 1000)}::int % {width}, b.stop) AS day,
        (b.id + n) % 8 AS kind_no, 10 + {h(key, 46, 40)}::int AS participants,
        CASE WHEN {h(key, 47, 9)} = 0 THEN 0 ELSE 1 + {h(key, 48, 4)}::int END AS evidence
    FROM bench_creating b CROSS JOIN LATERAL generate_series(1, b.k) AS n
    WHERE b.k > 0
) e
JOIN (VALUES {kinds}) AS k(no, kind, title, place) ON k.no = e.kind_no
"""


def build(cursor: Any, h: Any, seed: int, total: int, stats: Any) -> None:
    """Registrations of the current and previous cycles, then about ``total`` log entries."""
    from django.utils import timezone
    from sqlgen import bulk_load

    from qnwmh.creation.selectors import current_cycle, month_starts, record_end
    from qnwmh.cycles.models import Cycle, Phase

    today = timezone.localdate()
    current = current_cycle(today)
    assert current is not None, "no opened cycle: run generate.py (load_demo makes them)"
    previous = (
        Cycle.objects.exclude(phase=Phase.DRAFT)
        .filter(session_no__lt=current.session_no)
        .order_by("-session_no")
        .first()
    )
    assert previous is not None
    with stats.step("registrations") as out:
        cursor.execute(
            registrations_sql(
                h, current, 0, ["submitted"] * 6 + ["accepted"] * 3 + ["returned"], seed
            )
        )
        out["rows"] = cursor.rowcount
        cursor.execute(within_quotas_sql(current))
        cursor.execute(registrations_sql(h, previous, 1, ["filed"], seed))
        out["rows"] += cursor.rowcount
    cursor.execute("ANALYZE cycles_registration")

    prev_stop = min(record_end(previous) or today, today)
    cursor.execute(
        "CREATE TEMP TABLE bench_creating (id bigint, cycle_id bigint, start date, stop date,"
        " k int NOT NULL DEFAULT 0)"
    )
    n_prev = creating(cursor, previous, previous.registration_opens_on, prev_stop)
    n_cur = creating(cursor, current, current.registration_opens_on, today)
    months = month_starts(previous.registration_opens_on, today)
    prev_months = len(month_starts(previous.registration_opens_on, prev_stop))
    cur_months = len(month_starts(current.registration_opens_on, today))
    # Others per creating collective of the previous cycle, so that the log holds ``total``.
    expected_weeks = 0.96 * (n_prev * prev_months + n_cur * cur_months)
    average = max(2.0, (total - expected_weeks - n_cur) / max(1, n_prev))
    lo, span = int(average // 2), int(average) + 1  # uniform in [avg/2, 3avg/2]
    cursor.execute(
        f"UPDATE bench_creating b SET k = CASE WHEN b.cycle_id = {previous.pk}"
        f" THEN {lo} + {h('b.id', 49, span)}::int ELSE {h('b.id', 50, 3)}::int END"
    )
    print(
        f"  creating: {n_prev:,} in session {previous.session_no} ({prev_months} months,"
        f" {average:.0f} others each), {n_cur:,} in session {current.session_no}",
        flush=True,
    )
    cursor.execute("ANALYZE bench_creating")
    with bulk_load(cursor, "creation_logentry", stats):
        with stats.step("log entries: open weeks") as out:
            cursor.execute(open_weeks_sql(h, months, seed, today))
            out["rows"] = cursor.rowcount
        with stats.step("log entries: other kinds") as out:
            cursor.execute(others_sql(h, seed))
            out["rows"] = cursor.rowcount
    cursor.execute("DROP TABLE bench_creating")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=30, help="entries per collective")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from sqlgen import CODE_FUNCTION, Hasher, Stats

    from qnwmh.collectives.models import Collective

    stats = Stats()
    with connection.cursor() as cursor:
        cursor.execute(CODE_FUNCTION)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET session_replication_role = replica")
        build(
            cursor, Hasher(args.seed), args.seed, args.entries * Collective.objects.count(), stats
        )
        cursor.execute("SET session_replication_role = origin")
    with stats.step("rebuild_tallies"):
        call_command("rebuild_tallies")
    with stats.step("rebuild_registration_counts"):
        call_command("rebuild_registration_counts")
    with stats.step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE creation_logentry")
        cursor.execute("VACUUM ANALYZE cycles_registration")
    print(stats.table())


if __name__ == "__main__":
    main()
