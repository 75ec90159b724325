"""The key data lists at scale (issue 15, part G), in-process against the JSON floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15g_over .venv/bin/python bench/lists.py

Uses a database that already holds the data (``bench/oversight_review.py`` for collectives with
city titles and a re-review campaign, ``bench/oversight_spotcheck.py`` for a draw and visits,
``bench/complaints.py`` for complaints); a page whose data is missing is left out. Each page is
timed through Django's test client after a warm-up (median of ``--repeat``), then given as a
fraction of the floor's time measured in the same run (the #15 verdict asks ≥ 0.5), and of
the layout floor's (``/accounts/password/``, the cheapest page with the back-office layout).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import client_as, client_for, page, setup  # noqa: E402


def urls() -> list[tuple[str, str, str]]:
    """(who, label, url) of every page measured, from the data present."""
    from qnwmh.collectives.models import Collective
    from qnwmh.cycles.models import Cycle
    from qnwmh.oversight.models import AnnualReview, SpotCheck
    from qnwmh.supervision.models import Complaint

    out: list[tuple[str, str, str]] = []
    review = AnnualReview.objects.order_by("-year").first()
    if review is not None:
        base = f"/office/oversight/reviews/{review.code}/"
        body_id = review.cases.values_list("body_id", flat=True).first()
        out += [
            ("city", "re-review progress, city", base),
            ("body", "re-review progress, a body admin", base),
            ("city", "re-review cases, city", base + "cases/"),
            ("city", "re-review cases, city, one body", f"{base}cases/?body={body_id}"),
            ("city", "re-review cases, city, page 40", f"{base}cases/?page=40"),
            ("body", "re-review cases, a body admin", base + "cases/"),
        ]
    draw = SpotCheck.objects.order_by("-year").first()
    if draw is not None:
        out += [
            ("city", "spot-check draw page", f"/office/oversight/spot-checks/{draw.code}/"),
            ("city", "visits list", "/office/oversight/visits/"),
        ]
    if review is not None or draw is not None:
        out += [
            ("city", "re-reviews list", "/office/oversight/reviews/"),
            ("city", "sanctions list", "/office/oversight/sanctions/"),
        ]
    out += [
        ("city", "notices, city", "/office/notices/"),
        ("body", "notices, a body admin", "/office/notices/"),
    ]
    if Complaint.objects.exists():
        body_id = Complaint.objects.values_list("collective__body_id", flat=True).first()
        out += [
            ("city", "complaints, city", "/office/supervision/"),
            ("city", "complaints, city, one body", f"/office/supervision/?body={body_id}"),
            ("body", "complaints, a body admin", "/office/supervision/"),
        ]
    cycle = Cycle.objects.filter(registrations__isnull=False).order_by("-id").first()
    if cycle is not None:
        base = f"/office/cycles/{cycle.code}/"
        out += [
            ("city", "cycle page, city", base),
            ("body", "cycle page, a body admin", base),
            ("city", "registrations, city", base + "registrations/"),
            ("body", "registrations, a body admin", base + "registrations/"),
        ]
    c = Collective.objects.filter(titles__status="active").order_by("id").first()
    if c is not None:
        name = c.name
        out += [
            ("city", "collectives, city", "/office/collectives/"),
            ("city", "collectives, one body", f"/office/collectives/?body={c.body_id}"),
            ("city", "collectives, one town", f"/office/collectives/?town={c.town_id}"),
            ("city", "collectives, page 40", "/office/collectives/?page=40"),
            ("city", "collectives, search 2 chars", f"/office/collectives/?q={name[:2]}"),
            ("city", "collectives, search 4 chars", f"/office/collectives/?q={name[:4]}"),
            ("body", "collectives, a body admin", "/office/collectives/"),
            ("anon", "public directory", "/"),
            ("anon", "public search 2 chars", f"/?q={name[:2]}"),
            ("anon", "public town + level", f"/?town={c.town_id}&level=city"),
            ("anon", "public collective page", f"/c/{c.code}/"),
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="", help="labels containing this text")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    setup()
    from qnwmh.core.actor import Role

    clients = {
        "city": client_as(Role.CITY_ADMIN),
        "body": client_as(Role.BODY_ADMIN),
        "anon": client_for(),
    }
    floor_t, _ = page(clients["city"], "/-/floor/", args.repeat)
    layout_t, _ = page(clients["city"], "/accounts/password/", args.repeat)
    print(
        f"\n| page | time | vs the floor ({floor_t * 1000:.1f} ms) "
        f"| vs the layout floor ({layout_t * 1000:.1f} ms) | queries |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for who, label, url in urls():
        if args.only and args.only not in label:
            continue
        t, q = page(clients[who], url, args.repeat)
        print(
            f"| {label} | {t * 1000:.1f} ms | {floor_t / t:.2f} | {layout_t / t:.2f} | {q} |",
            flush=True,
        )
    print(f"\nload average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
