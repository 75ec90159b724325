"""The city dashboard against the raw GROUP BY queries it needs, side by side (issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/<db> .venv/bin/python bench/dashboards.py

On a generated database (``generate.py``; 100,000 collectives and, with ``complaints.py
--count``, 100,000 complaints), in-process: for ``--repeat`` rounds, one after the other in
each round, (1) the hand-written SQL — one GROUP BY per chart, one FILTERed count for the
complaint states — (2) the figures module alone (``dashboards.figures.charts``, every chart
for the city) and (3) the whole page through the test client (figures, template, layout).
Prints the medians, the ratios to the raw SQL, the queries of each, the data size and the
load average; ``--report`` adds the annual report's time and peak memory when it exists.
Before timing, every bar, cell, reference and total of the figures is checked against the raw
results (``check``), so the two sides are known to compute the same numbers; ``--each`` times
each figure beside its own statement.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from bench.inprocess import rss_mb, setup, timed  # noqa: E402

OPEN = "('received', 'acknowledged', 'investigating', 'rectification_ordered')"
FINISHED = "('closed', 'not_substantiated', 'duplicate')"
TZ = "'Asia/Shanghai'"
# The complaints' on-time rules (``supervision.models.ON_TIME``), in local days.
ACK_ON_TIME = (
    f"((acknowledged_at AT TIME ZONE {TZ})::date <= ack_due OR (acknowledged_at IS NULL"
    f" AND (closed_at AT TIME ZONE {TZ})::date <= ack_due AND status = 'duplicate'))"
)
FINISH_ON_TIME = (
    f"(status NOT IN {OPEN} AND ((replied_at AT TIME ZONE {TZ})::date <= finish_due"
    f" OR ((closed_at AT TIME ZONE {TZ})::date <= finish_due AND replied_at IS NULL)))"
)
# The first audited change of a collective's status after a moment, and the status it
# started from (``collectives.selectors.on_register``).
STATUS_BEFORE = """
    SELECT DISTINCT ON (object_id) object_id,
        CASE WHEN code = 'collectives.collective.archived' THEN 'active'
             ELSE before ->> 'status' END AS status
    FROM audit_auditentry
    WHERE object_type = 'collectives.collective' AND at >= %s
      AND (code = 'collectives.collective.archived'
           OR (code = 'collectives.collective.updated' AND before ? 'status'))
    ORDER BY object_id, at, id"""


@dataclass(frozen=True)
class Period:
    """What the raw side needs to know of the dashboard's period, from Python."""

    cycle_id: int | None
    round_id: int | None
    exam_id: int | None
    review_id: int | None
    year: int
    today: datetime.date  # the local date (the session's current_date is UTC's)
    register_end: datetime.datetime  # the end of the year's register day, local midnight
    last_register_end: datetime.datetime  # the same a year earlier
    ratio: int  # the cycle's registration ratio (2 for 2:1)


# One hand-written statement per chart: the figure's key, the SQL and its params. Each
# returns the chart's numbers (its bars; its second number where it has one) and nothing for
# labels, which the raw side does not read.
RawQuery = tuple[str, str, list[Any]]


def raw_queries(p: Period) -> list[RawQuery]:
    """What the city dashboard needs, as one would write it by hand, with the figures'
    filters: the directory as of today, the cycle's registrations and applications, the
    period's year for log entries, complaints, ratings, sanctions, exits and visits."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    y0 = datetime.datetime(p.year, 1, 1, tzinfo=tz)
    y1 = datetime.datetime(p.year + 1, 1, 1, tzinfo=tz)
    d0, d1 = datetime.date(p.year, 1, 1), datetime.date(p.year + 1, 1, 1)
    c = "SELECT {0}, count(*) FROM collectives_collective GROUP BY 1"
    complaints = "FROM supervision_complaint WHERE received_at >= %s AND received_at < %s"
    visits = (
        "FROM oversight_visit v LEFT JOIN oversight_spotcheck s ON s.id = v.spot_check_id"
        " WHERE (s.year = %s OR (v.spot_check_id IS NULL"
        " AND v.created_at >= %s AND v.created_at < %s))"
    )
    q: list[RawQuery] = [
        ("collectives_by_town", c.format("town_id"), []),
        # On the register at the end of the year and of the year before: created by then and
        # active then (the status the first audited change after that started from).
        (
            "non_public_by_town",
            f"WITH now_ AS ({STATUS_BEFORE}), then_ AS ({STATUS_BEFORE})"
            " SELECT c.town_id,"
            " count(*) FILTER (WHERE c.created_at < %s AND coalesce(a.status, c.status) = 'active'),"
            " count(*) FILTER (WHERE c.created_at < %s AND coalesce(b.status, c.status) = 'active')"
            " FROM collectives_collective c"
            " LEFT JOIN now_ a ON a.object_id = c.id::text"
            " LEFT JOIN then_ b ON b.object_id = c.id::text"
            " WHERE c.ownership = 'non_public' GROUP BY 1",
            [p.register_end, p.last_register_end, p.register_end, p.last_register_end],
        ),
        ("collectives_by_sector", c.format("sector_id"), []),
        ("collectives_by_ownership", c.format("ownership"), []),
        ("collectives_by_body", c.format("body_id"), []),
        # One active title per level and collective (a constraint): count(*) counts collectives.
        (
            "titled_by_level",
            "SELECT level, count(*) FROM collectives_title WHERE status = 'active' GROUP BY 1",
            [],
        ),
        (
            "titled_by_level_and_stars",
            "SELECT level || '-' || stars, count(*) FROM collectives_title"
            " WHERE status = 'active' GROUP BY level, stars",
            [],
        ),
    ]
    if p.cycle_id:
        r = "SELECT {0}, count(*) FROM cycles_registration WHERE cycle_id = %s GROUP BY 1"
        q += [
            (f"registrations_by_{f}", r.format(f"{f}_id" if f != "status" else f), [p.cycle_id])
            for f in ("status", "body", "town")
        ]
        # Places used (accepted or filed) beside each body's quota (the override, else the
        # computed one).
        q.append(
            (
                "quota_used_by_body",
                "SELECT coalesce(u.body_id, q.body_id), coalesce(u.n, 0),"
                " coalesce(q.override, q.computed)"
                " FROM (SELECT body_id, count(*) AS n FROM cycles_registration"
                "       WHERE cycle_id = %s AND status IN ('accepted', 'filed') GROUP BY 1) u"
                " FULL JOIN (SELECT * FROM cycles_quota WHERE cycle_id = %s) q"
                " ON q.body_id = u.body_id",
                [p.cycle_id, p.cycle_id],
            )
        )
    if p.round_id:
        a = "FROM certification_application WHERE round_id = %s"
        q.append(
            ("applications_by_status", f"SELECT status, count(*) {a} GROUP BY 1", [p.round_id])
        )
        # Recommended per body beside its 2:1 cap: floor(places used ÷ ratio).
        q.append(
            (
                "recommended_by_body",
                "SELECT coalesce(a.body_id, u.body_id), coalesce(a.n, 0), coalesce(u.n, 0) / %s"
                " FROM (SELECT body_id, count(*) AS n FROM certification_application"
                "       WHERE round_id = %s AND status = 'recommended' GROUP BY 1) a"
                " FULL JOIN (SELECT q.body_id, count(r.id) AS n FROM cycles_quota q"
                "       LEFT JOIN cycles_registration r ON r.cycle_id = q.cycle_id"
                "        AND r.body_id = q.body_id AND r.status IN ('accepted', 'filed')"
                "       WHERE q.cycle_id = %s GROUP BY 1) u ON u.body_id = a.body_id",
                [p.ratio, p.round_id, p.cycle_id],
            )
        )
        # Each stage beyond the status: test passed, scored, listed, decided, removed.
        q.append(
            (
                "applications_by_progress",
                "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM knowledge_attempt t"
                "   WHERE t.exam_id = %s AND t.collective_id = x.collective_id"
                "   AND t.passed AND t.score IS NOT NULL)),"
                " count(*) FILTER (WHERE r.combined IS NOT NULL),"
                " count(*) FILTER (WHERE e.status = 'listed'),"
                " count(*) FILTER (WHERE e.status = 'decided'),"
                " count(*) FILTER (WHERE e.status = 'removed')"
                " FROM certification_application x"
                " LEFT JOIN certification_applicationresult r ON r.application_id = x.id"
                " LEFT JOIN awards_shortlistentry e ON e.application_id = x.id"
                " WHERE x.round_id = %s",
                [p.exam_id, p.round_id],
            )
        )
    # The open-week heatmap: the year's open weeks per body and month, in one GROUP BY.
    q.append(
        (
            "open_weeks_by_body_month",
            "SELECT c.body_id, to_char(e.occurred_on, 'YYYY-MM'), count(*)"
            " FROM creation_logentry e JOIN collectives_collective c ON c.id = e.collective_id"
            " WHERE e.kind = 'open_week' AND e.occurred_on >= %s AND e.occurred_on < %s"
            " GROUP BY 1, 2",
            [d0, d1],
        )
    )
    if p.cycle_id:
        # The required activities of the cycle with and without evidence.
        q.append(
            (
                "required_activities_by_evidence",
                "SELECT kind, CASE WHEN evidence_count > 0 THEN 'yes' ELSE 'no' END, count(*)"
                " FROM creation_logentry WHERE cycle_id = %s"
                " AND kind IN ('open_week', 'job_drill', 'themed_training') GROUP BY 1, 2",
                [p.cycle_id],
            )
        )
    q += [
        (
            "complaints_by_state",
            f"SELECT count(*) FILTER (WHERE status IN {OPEN}),"
            " count(*) FILTER (WHERE (status = 'received' AND ack_due < %s)"
            f" OR (status IN {OPEN} AND finish_due < %s)),"
            " count(*) FILTER (WHERE status = 'replied'),"
            f" count(*) FILTER (WHERE status IN {FINISHED}), count(*) {complaints}",
            [p.today, p.today, y0, y1],
        ),
        ("complaints_by_status", f"SELECT status, count(*) {complaints} GROUP BY 1", [y0, y1]),
        ("complaints_by_category", f"SELECT category, count(*) {complaints} GROUP BY 1", [y0, y1]),
        ("complaints_by_body", f"SELECT body_id, count(*) {complaints} GROUP BY 1", [y0, y1]),
    ]
    # Done on time, beside all received: both numbers in one GROUP BY.
    for step, rule in (("acknowledged", ACK_ON_TIME), ("finished", FINISH_ON_TIME)):
        for by, col in (("body", "body_id"), ("category", "category")):
            q.append(
                (
                    f"complaints_{step}_on_time_by_{by}",
                    f"SELECT {col}, count(*) FILTER (WHERE {rule}), count(*) {complaints}"
                    " GROUP BY 1",
                    [y0, y1],
                )
            )
    q.append(
        (
            "ratings_by_month",
            "SELECT extract(month FROM day)::int, count(*), round(avg(stars), 1)"
            " FROM supervision_rating WHERE day >= %s AND day < %s GROUP BY 1",
            [d0, d1],
        )
    )
    if p.review_id:
        rc = "SELECT {0}, count(*) FROM oversight_reviewcase WHERE review_id = %s GROUP BY 1"
        q += [(f"review_cases_by_{f}", rc.format(f), [p.review_id]) for f in ("status", "outcome")]
    q += [
        (
            "sanctions_by_kind",
            "SELECT kind, count(*) FROM oversight_sanction"
            " WHERE proposed_at >= %s AND proposed_at < %s GROUP BY 1",
            [y0, y1],
        ),
        (
            "exits_by_kind",
            'SELECT kind, count(*) FROM oversight_exit WHERE "on" >= %s AND "on" < %s GROUP BY 1',
            [d0, d1],
        ),
        (
            "spot_checks_by_result",
            "SELECT CASE WHEN v.result = '' THEN 'pending' ELSE v.result END, count(*)"
            f" {visits} AND v.reason = 'random' GROUP BY 1",
            [p.year, y0, y1],
        ),
        (
            "spot_checks_by_body",
            "SELECT o.code, count(*)"
            f" {visits.replace(' WHERE', ' JOIN collectives_collective c ON c.id = v.collective_id JOIN orgs_organisation o ON o.id = c.body_id WHERE', 1)}"
            " AND v.reason = 'random' GROUP BY 1",
            [p.year, y0, y1],
        ),
        ("visits_by_reason", f"SELECT v.reason, count(*) {visits} GROUP BY 1", [p.year, y0, y1]),
    ]
    return q


def run_raw(queries: list[RawQuery]) -> dict[str, list[tuple[Any, ...]]]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for key, sql, params in queries:
            cursor.execute(sql, params)
            out[key] = cursor.fetchall()
    return out


# Raw results of one row whose columns are the chart's bars in order (None: the list's total).
ONE_ROW = {"complaints_by_state": ["open", "overdue", "answered", "finished", None]}
GRIDS = {"open_weeks_by_body_month", "required_activities_by_evidence"}


def check(charts: list[Any], raw: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Every bar, cell, reference and total of the figures against the raw results; the
    differences found (none: the two sides computed the same numbers)."""
    from qnwmh.certification import progress

    one_row = {**ONE_ROW, "applications_by_progress": [k for k, _ in progress.choices()]}
    problems = []
    for chart in charts:
        rows = raw.get(chart.key)
        if rows is None:
            problems.append(f"{chart.key}: no raw statement")
            continue
        if chart.key in GRIDS:
            cells = {(str(r), str(c)): n for r, c, n in rows}
            for bar in chart.bars:
                for cell in bar.cells:
                    if cells.get((bar.key, cell.key), 0) != cell.value:
                        problems.append(
                            f"{chart.key} {bar.key} {cell.key}: {cell.value} vs raw "
                            f"{cells.get((bar.key, cell.key), 0)}"
                        )
            total = sum(cells.values())
        elif chart.key in one_row:
            values = dict(zip(one_row[chart.key], rows[0], strict=True))
            bars = {k: (n, None) for k, n in values.items() if k is not None}
            total = values.get(None)
        else:
            bars = {str(r[0]): (r[1], r[2] if len(r) > 2 else None) for r in rows}
            total = sum(r[1] for r in rows)
        if chart.key not in GRIDS:
            for bar in chart.bars:
                n, ref = bars.get(bar.key, (0, None))
                if n != bar.value:
                    problems.append(f"{chart.key} {bar.key}: {bar.value} vs raw {n}")
                if float(ref or 0) != float(bar.reference or 0):
                    problems.append(f"{chart.key} {bar.key} ref: {bar.reference} vs raw {ref}")
        if chart.total is not None and chart.total != total:
            problems.append(f"{chart.key} total: {chart.total} vs raw {total}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--report", action="store_true", help="also build the annual report")
    parser.add_argument(
        "--each", action="store_true", help="also time each figure beside its raw statement"
    )
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from qnwmh.access.actor import actor_for
    from qnwmh.accounts.models import User
    from qnwmh.certification.models import CertificationRound
    from qnwmh.collectives.models import Collective
    from qnwmh.core.actor import Role
    from qnwmh.dashboards.catalogue import FIGURES, register_day
    from qnwmh.dashboards.figures import charts
    from qnwmh.dashboards.selectors import period_from_query
    from qnwmh.oversight.models import AnnualReview
    from qnwmh.supervision.models import Complaint

    user = User.objects.filter(assignments__role=Role.CITY_ADMIN, is_active=True).first()
    actor = actor_for(user)
    client = Client()
    client.force_login(user)
    period = period_from_query(actor, {})
    cert_round = CertificationRound.objects.filter(cycle=period.cycle).first()
    review_id = AnnualReview.objects.filter(year=period.year).values_list("id", flat=True).first()

    def end_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
            datetime.timedelta(days=1)
        )

    last = dataclasses.replace(period, year=period.year - 1)
    queries = raw_queries(
        Period(
            cycle_id=period.cycle.pk if period.cycle else None,
            round_id=cert_round.pk if cert_round else None,
            exam_id=cert_round.exam_id if cert_round else None,
            review_id=review_id,
            year=period.year,
            today=timezone.localdate(),
            register_end=end_of(register_day(period)),
            last_register_end=end_of(register_day(last)),
            ratio=int(period.cycle.rule("registration_ratio", 2)) if period.cycle else 2,
        )
    )

    problems = check(charts(actor, period), run_raw(queries))
    print(
        "raw SQL against the figures: "
        + ("every bar, cell, reference and total equal" if not problems else "DIFFERENT")
    )
    for line in problems:
        print("  ", line)

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
    if args.each:
        # Each figure's chart (its queries, labels and links) beside its raw statement,
        # medians of the same rounds: where the page's time goes.
        raw_by_key = {key: (key, sql, params) for key, sql, params in queries}
        print("\n| figure | figure ms | queries | raw ms | × raw |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for figure in FIGURES:
            fig_t, raw_t, fig_q = [], [], 0
            for _ in range(args.repeat):
                t, fig_q = timed(lambda f=figure: f.chart(actor, period))
                fig_t.append(t)
                if figure.key in raw_by_key:
                    raw_t.append(timed(lambda k=figure.key: run_raw([raw_by_key[k]]))[0])
            f_ms = statistics.median(fig_t) * 1000
            r_ms = statistics.median(raw_t) * 1000 if raw_t else 0.0
            ratio = f"{f_ms / r_ms:.1f}" if r_ms else "–"
            print(f"| {figure.key} | {f_ms:.1f} | {fig_q} | {r_ms:.1f} | {ratio} |")
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
