"""Prepared queries (issue 15): each hot query built, compiled and run as a queryset, against
the same query run from its SQL compiled once (``core.prepared``), in-process, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p16_demo .venv/bin/python bench/prepared.py

Uses a database that already holds the demo (``load_demo``) or more. Each pair is timed in
turns within one process (process CPU time, so on PostgreSQL the database's own work is left
out: it is the same SQL both ways; on SQLite it runs in the process and counts on both
sides), median of ``--repeat``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import setup  # noqa: E402


def cases() -> list[tuple[str, Any, tuple[Any, ...], int]]:
    """(label, prepared query, its arguments, rows read) of the hot queries it serves."""
    from qnwmh.access.actor import actor_for
    from qnwmh.accounts.models import User
    from qnwmh.collectives import selectors as collectives
    from qnwmh.collectives.models import Collective
    from qnwmh.creation import views as creation_views
    from qnwmh.creation.selectors import current_cycle
    from qnwmh.public import selectors as public

    city = actor_for(User.objects.filter(assignments__role="city_admin").first())
    body = actor_for(User.objects.filter(assignments__role="body_admin").first())
    code = Collective.objects.values_list("code", flat=True).first()
    cycle = current_cycle()
    out = [
        (
            "collectives list, page ids (city)",
            collectives._ids_in_order,
            (city, collectives.CollectiveFilters()),
            26,
        ),
        ("collective by code (body admin)", collectives._visible_with_code, (body, code, False), 1),
        ("public directory page", public._directory_page, (public.DirectoryFilters(),), 16),
    ]
    if cycle is not None:
        out.append(
            (
                "creation list page (body admin)",
                creation_views._members_in_order,
                (body, cycle.pk, None),
                26,
            )
        )
    return out + api_lists(city, body)


def api_lists(city: Any, body: Any) -> list[tuple[str, Any, tuple[Any, ...], int]]:
    """The registrations page and the API's lists, on the first round, review and cycle
    that have rows."""
    from django.utils import timezone

    from qnwmh.certification.models import Application
    from qnwmh.certification.selectors import applications as certification
    from qnwmh.cycles import selectors as cycles
    from qnwmh.cycles.models import Cycle, Registration
    from qnwmh.oversight.api.review import _case_summaries
    from qnwmh.oversight.api.spotcheck import _visits
    from qnwmh.oversight.models import ReviewCase
    from qnwmh.oversight.selectors.spotcheck import VisitFilters
    from qnwmh.supervision import selectors as supervision

    def first(model: Any, field: str) -> Any:
        return model.objects.order_by().values_list(field, flat=True).first()

    out = [
        (
            "API complaints (city)",
            supervision._listed,
            (city, supervision.ComplaintFilters(), timezone.localdate()),
            50,
        ),
        ("API visits (city)", _visits, (city, VisitFilters()), 25),
    ]
    if (cycle_id := first(Registration, "cycle_id")) is not None:
        everyone = cycles.RegistrationFilters()
        out += [
            (
                "cycle by code (body admin)",
                cycles._visible_with_code,
                (body, Cycle.objects.get(pk=cycle_id).code),
                1,
            ),
            (
                "registrations page (city)",
                cycles._value_rows,
                (city, cycle_id, everyone, False),
                26,
            ),
            (
                "registrations page (body admin)",
                cycles._value_rows,
                (body, cycle_id, everyone, False),
                26,
            ),
            ("API registrations (city)", cycles._value_rows, (city, cycle_id, everyone, True), 50),
        ]
    if (review_id := first(ReviewCase, "review_id")) is not None:
        out.append(("API review cases (city)", _case_summaries, (city, review_id, *[None] * 4), 25))
    if (round_id := first(Application, "round_id")) is not None:
        out.append(
            (
                "API applications (city)",
                certification._listed,
                (city, round_id, certification.ApplicationFilters()),
                50,
            )
        )
    return out


def both_ways(query: Any, arguments: tuple[Any, ...], n: int) -> tuple[Callable[[], Any], ...]:
    """The first ``n`` rows built, compiled and run as a queryset, and run prepared."""

    def plain() -> list[Any]:
        return list(query.build(*arguments)[:n])

    def kept() -> list[Any]:
        return list(query.rows(*arguments, start=0, stop=n))

    return plain, kept


def median_cpu(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    setup()
    print("| query | as a queryset, ms | prepared, ms | prepared / queryset |")
    print("| --- | ---: | ---: | ---: |")
    for label, query, arguments, n in cases():
        plain, kept = both_ways(query, arguments, n)
        assert [getattr(r, "pk", r) for r in plain()] == [getattr(r, "pk", r) for r in kept()]
        a = b = 0.0
        for _ in range(3):  # in turns, so both see the same machine
            a += median_cpu(plain, args.repeat // 3)
            b += median_cpu(kept, args.repeat // 3)
        print(f"| {label} | {a / 3 * 1000:.2f} | {b / 3 * 1000:.2f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
