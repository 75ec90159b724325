"""Complaints and ratings for the bench database (issue 6: the oversight lists; the public
collective page's ratings).

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15c_million .venv/bin/python bench/complaints.py

``generate.py`` calls ``build`` (a tenth as many complaints as collectives); run this script
alone only on a database generated without it. Complaints fall on random collectives, in every
status, received over the last year, with deadlines as the intake service sets them roughly
(7 and 15 days later), so some are overdue; a few are held for the city's review or
escalated. Ratings: 1–5 stars from distinct devices over the last 90 days on a third of the
titled collectives. Written by PostgreSQL (``INSERT … SELECT``, seeded hashes, tracking codes
in the app's alphabet). Deterministic per ``--seed``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

COMPLAINT_SALT = 51
TEXTS = [
    "服务窗口排队时间较长，工作人员态度一般，希望改进。",
    "工作人员耐心细致，帮我解决了问题，特此表扬。",
    "承诺的办理时限没有做到，多次催办仍未答复。",
    "建议增加周末服务时间，方便上班族办事。",
]


def complaints_sql(h: Any, count: int, seed: int) -> str:
    from sqlgen import code_sql, lit, pick

    from qnwmh.supervision.models import Category, Channel, Kind, Status

    def choice(salt: int, values: list[str]) -> str:
        return pick(h("g", salt, len(values)), [lit(v) for v in values])

    received = f"now() - ({h('g', 52, 365 * 24 * 60)} || ' minutes')::interval"
    tracking = f"{code_sql('g', COMPLAINT_SALT + seed)} || substr({code_sql(h('g', 53, 10**8), seed)}, 1, 6)"
    return f"""
INSERT INTO supervision_complaint (code, filer_secret_hash, held_for_review, collective_id,
    body_id, kind, category, channel, text, text_hidden, hidden_reason, filer_name, filer_phone,
    status, received_at, ack_due, finish_due, findings, rectification, upheld, reply,
    feedback_comment, city_review, reopen_count, escalation_level, updated_at)
SELECT {tracking}, '', false, c.id, c.body_id, {choice(54, list(Kind.values))},
    {choice(55, list(Category.values))}, {choice(56, list(Channel.values))},
    repeat({choice(57, TEXTS)}, 1 + {h("g", 58, 4)}::int), false, '', '', '',
    {choice(59, list(Status.values))}, g.received, g.received::date + 7, g.received::date + 15,
    '', '', false, '', '', {h("g", 60, 50)} = 0, 0, (ARRAY[0, 0, 0, 1, 2])[1 + {h("g", 61, 5)}],
    g.received
FROM (SELECT g, {received} AS received FROM generate_series(1, {count}) AS g) g
CROSS JOIN (SELECT min(id) AS lo, max(id) - min(id) + 1 AS span FROM collectives_collective) r
JOIN collectives_collective c ON c.id = r.lo + {h("g", 62, "r.span")}
WHERE c.status = 'active'
"""


def ratings_sql(h: Any) -> str:
    """1–8 ratings on a third of the titled collectives, each from its own device."""
    key = "(t.collective_id * 16 + n)"
    return f"""
INSERT INTO supervision_rating (collective_id, stars, comment, comment_hidden, device, address,
    day, created_at)
SELECT t.collective_id, (ARRAY[5, 5, 5, 4, 4, 3, 2, 1])[1 + {h(key, 63, 8)}],
    CASE WHEN {h(key, 64, 3)} = 0 THEN '服务热情周到' ELSE '' END, false,
    encode(sha256(('bench-device-' || {key})::text::bytea), 'hex'), '',
    current_date - {h(key, 65, 90)}::int, now() - ({h(key, 65, 90)} || ' days')::interval
FROM (SELECT DISTINCT collective_id FROM collectives_title WHERE status = 'active') t
CROSS JOIN LATERAL generate_series(1, 1 + {h("t.collective_id", 66, 8)}::int) AS n
WHERE {h("t.collective_id", 67, 3)} = 0
ON CONFLICT DO NOTHING
"""


def build(cursor: Any, h: Any, seed: int, count: int, stats: Any) -> None:
    with stats.step("complaints") as out:
        cursor.execute(complaints_sql(h, count, seed))
        out["rows"] = cursor.rowcount
    with stats.step("ratings") as out:
        cursor.execute(ratings_sql(h))
        out["rows"] = cursor.rowcount


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from django.db import connection
    from sqlgen import CODE_FUNCTION, Hasher, Stats

    stats = Stats()
    with connection.cursor() as cursor:
        cursor.execute(CODE_FUNCTION)
        build(cursor, Hasher(args.seed), args.seed, args.count, stats)
        cursor.execute("VACUUM ANALYZE supervision_complaint")
        cursor.execute("VACUUM ANALYZE supervision_rating")
    print(stats.table())


if __name__ == "__main__":
    main()
