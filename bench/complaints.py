"""Add complaints to the bench database with ``bulk_create`` (issue 6: the oversight list).

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench100k .venv/bin/python bench/complaints.py

Spreads ``--count`` complaints (default 100,000) over random active collectives, in every
status, received over the last year; deadlines are set as the intake service would set them
roughly (7 and 15 days later), so some are overdue. Deterministic per ``--seed``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from qnwmh.collectives.models import Collective, CollectiveStatus
    from qnwmh.supervision.models import Category, Channel, Complaint, Kind, Status

    rng = random.Random(args.seed)
    pool = list(
        Collective.objects.filter(status=CollectiveStatus.ACTIVE).values_list("id", "body_id")
    )
    now = timezone.now()
    statuses = list(Status.values)
    started = time.perf_counter()
    done = 0
    while done < args.count:
        rows = []
        for _ in range(min(args.batch, args.count - done)):
            cid, body = rng.choice(pool)
            received = now - datetime.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            status = rng.choice(statuses)
            rows.append(
                Complaint(
                    collective_id=cid,
                    body_id=body,
                    kind=rng.choice(Kind.values),
                    category=rng.choice(Category.values),
                    channel=rng.choice(Channel.values),
                    text="服务窗口排队时间较长，工作人员态度一般，希望改进。" * rng.randint(1, 4),
                    status=status,
                    received_at=received,
                    ack_due=received.date() + datetime.timedelta(days=7),
                    finish_due=received.date() + datetime.timedelta(days=15),
                    escalation_level=rng.choice([0, 0, 0, 1, 2]),
                    city_review=rng.random() < 0.02,
                )
            )
        Complaint.objects.bulk_create(rows)
        done += len(rows)
        rate = done / (time.perf_counter() - started)
        print(f"{done:>8} complaints  {rate:,.0f} rows/s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE supervision_complaint")
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
