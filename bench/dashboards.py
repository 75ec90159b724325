"""The city dashboard against the raw GROUP BY queries it needs, side by side (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/<db> .venv/bin/python bench/dashboards.py

On a generated database (``generate.py``; 100,000 collectives and, with ``complaints.py
--count``, 100,000 complaints), in-process: for ``--repeat`` rounds, one after the other in
each round, (1) the hand-written SQL — one GROUP BY per chart, one FILTERed count for the
complaint states — (2) the figures module alone (``dashboards.figures.charts``, every chart
for the city) and (3) the whole page through the test client (figures, template, layout).
Prints the medians, the ratios to the raw SQL, the queries of each, the data size and the
load average; ``--report`` adds the annual report's time and peak memory when it exists.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from bench.inprocess import rss_mb, setup, timed  # noqa: E402

OPEN = "('received', 'acknowledged', 'investigating', 'rectification_ordered')"
FINISHED = "('closed', 'not_substantiated', 'duplicate')"


def raw_queries(
    cycle_id: int | None, round_id: int | None, review_id: int | None, year: int
) -> list[tuple[str, list[Any]]]:
    """What the city dashboard needs, as one would write it by hand."""
    c = "SELECT {0}, count(*) FROM collectives_collective {1} GROUP BY {0}"
    queries: list[tuple[str, list[Any]]] = [
        (c.format("town_id", ""), []),
        (c.format("town_id", "WHERE ownership = 'non_public'"), []),
        (c.format("sector_id", ""), []),
        (c.format("ownership", ""), []),
        (c.format("body_id", ""), []),
        (
            "SELECT level, count(DISTINCT collective_id) FROM collectives_title "
            "WHERE status = 'active' GROUP BY level",
            [],
        ),
        (
            f"SELECT count(*) FILTER (WHERE status IN {OPEN}),"
            " count(*) FILTER (WHERE (status = 'received' AND ack_due < current_date)"
            f" OR (status IN {OPEN} AND finish_due < current_date)),"
            " count(*) FILTER (WHERE status = 'replied'),"
            f" count(*) FILTER (WHERE status IN {FINISHED}) FROM supervision_complaint",
            [],
        ),
        ("SELECT status, count(*) FROM supervision_complaint GROUP BY status", []),
        ("SELECT category, count(*) FROM supervision_complaint GROUP BY category", []),
        ("SELECT body_id, count(*) FROM supervision_complaint GROUP BY body_id", []),
        (
            "SELECT kind, count(*) FROM oversight_sanction "
            "WHERE extract(year FROM proposed_at) = %s GROUP BY kind",
            [year],
        ),
        (
            'SELECT kind, count(*) FROM oversight_exit WHERE extract(year FROM "on") = %s '
            "GROUP BY kind",
            [year],
        ),
    ]
    # The open-week heatmap: the year's open weeks per body and month, in one GROUP BY.
    queries.append(
        (
            "SELECT c.body_id, date_trunc('month', e.occurred_on), count(*)"
            " FROM creation_logentry e JOIN collectives_collective c ON c.id = e.collective_id"
            " WHERE e.kind = 'open_week' AND e.occurred_on >= make_date(%s, 1, 1)"
            " AND e.occurred_on < make_date(%s, 1, 1) GROUP BY 1, 2",
            [year, year + 1],
        )
    )
    if cycle_id:
        r = "SELECT {0}, count(*) FROM cycles_registration WHERE cycle_id = %s GROUP BY {0}"
        queries += [(r.format(f), [cycle_id]) for f in ("status", "body_id", "town_id")]
        # The required activities with and without evidence.
        queries.append(
            (
                "SELECT kind, evidence_count > 0, count(*) FROM creation_logentry"
                " WHERE cycle_id = %s"
                " AND kind IN ('open_week', 'job_drill', 'themed_training') GROUP BY 1, 2",
                [cycle_id],
            )
        )
    if review_id:
        rc = "SELECT {0}, count(*) FROM oversight_reviewcase WHERE review_id = %s GROUP BY {0}"
        queries += [(rc.format(f), [review_id]) for f in ("status", "outcome")]
    if round_id:
        queries.append(
            (
                "SELECT status, count(*) FROM certification_application WHERE round_id = %s "
                "GROUP BY status",
                [round_id],
            )
        )
    return queries


def run_raw(queries: list[tuple[str, list[Any]]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--report", action="store_true", help="also build the annual report")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    setup()
    from django.db import connection
    from django.test import Client

    from qnwmh.access.actor import actor_for
    from qnwmh.accounts.models import User
    from qnwmh.certification.models import CertificationRound
    from qnwmh.collectives.models import Collective
    from qnwmh.core.actor import Role
    from qnwmh.dashboards.figures import charts
    from qnwmh.dashboards.selectors import period_from_query
    from qnwmh.oversight.models import AnnualReview
    from qnwmh.supervision.models import Complaint

    user = User.objects.filter(assignments__role=Role.CITY_ADMIN, is_active=True).first()
    actor = actor_for(user)
    client = Client()
    client.force_login(user)
    period = period_from_query(actor, {})
    round_id = (
        CertificationRound.objects.filter(cycle=period.cycle).values_list("id", flat=True).first()
    )
    review_id = AnnualReview.objects.filter(year=period.year).values_list("id", flat=True).first()
    queries = raw_queries(
        period.cycle.pk if period.cycle else None, round_id, review_id, period.year
    )

    def page() -> None:
        response = client.get("/office/dashboards/")
        assert response.status_code == 200

    steps = {
        "raw SQL": lambda: run_raw(queries),
        "figures": lambda: charts(actor, period),
        "page": page,
    }
    for fn in steps.values():  # warm-up: caches, plans, the template
        fn()
    times: dict[str, list[float]] = {k: [] for k in steps}
    counts: dict[str, int] = {}
    for _ in range(args.repeat):
        for label, fn in steps.items():  # side by side, in turn, each round
            t, q = timed(fn)
            times[label].append(t)
            counts[label] = q
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"\n{Collective.objects.count():,} collectives, {Complaint.objects.count():,} complaints,"
        f" cycle {period.cycle.session_no if period.cycle else '-'}, year {period.year},"
        f" {connection.vendor}, {args.repeat} rounds\n"
    )
    print("| step | median | × raw SQL | queries |")
    print("| --- | ---: | ---: | ---: |")
    for label, t in medians.items():
        print(f"| {label} | {t * 1000:.1f} ms | {t / medians['raw SQL']:.2f} | {counts[label]} |")
    print(f"\npeak memory: {rss_mb():.0f} MB; load average: {os.getloadavg()}")
    if args.report:
        from qnwmh.dashboards.report import report_pdf_file, report_xlsx_file

        for label, build in (("PDF", report_pdf_file), ("Excel", report_xlsx_file)):
            before = rss_mb()
            t = time.perf_counter()
            response = build(actor, year=period.year)
            streamed = getattr(response, "streaming", False)
            size = len(b"".join(response.streaming_content) if streamed else response.content)
            print(
                f"annual report {label}: {time.perf_counter() - t:.2f} s, {size / 1024:.0f} KiB,"
                f" peak memory {rss_mb():.0f} MB (before: {before:.0f} MB)"
            )


if __name__ == "__main__":
    main()
