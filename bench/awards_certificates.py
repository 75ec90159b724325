"""Certificate PDFs (issue 13): how many single certificates per second, and one body's batch
of 200 certificates in one PDF — its time and memory peak.

    createdb … && DATABASE_URL=postgres://postgres@127.0.0.1:55450/bench_certs \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:55450/bench_certs .venv/bin/python bench/awards_certificates.py

Generates (``bulk_create``) one managing body with ``--batch`` collectives, each holding an
active city title with a current certificate (numbers as the service gives them), then, in
this process: ``--singles`` single certificates through ``certificate_pdf`` one after the
other (the rate a clerk printing one by one, or the nomination package, sees), and the body's
batch through ``body_certificates_file`` (the file the worker builds): wall time, then the
same again under ``tracemalloc`` for the peak of Python memory, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import rss_mb, setup  # noqa: E402

SITE = "https://qnwmh.zs.gov.cn"


def _tree(org: Any) -> Any:
    """An organisation saved with its materialised path, as the orgs services keep it."""
    org.path = "-"
    org.save()
    org.path = f"{org.parent.path if org.parent else ''}{org.pk:06d}/"
    org.save(update_fields=["path"])
    return org


def generate(n: int) -> Any:
    from django.db import transaction

    from qnwmh.awards.certificate_numbers import number_for
    from qnwmh.awards.models import Certificate
    from qnwmh.collectives.models import Collective, Level, Title
    from qnwmh.core.codes import new_code
    from qnwmh.orgs.models import Organisation, Town

    tag = new_code(4)
    on = datetime.date(2026, 12, 20)
    with transaction.atomic():
        city = Organisation.objects.filter(kind=Organisation.Kind.CITY).first()
        if city is None:
            city = _tree(Organisation(name="共青团中山市委员会", kind=Organisation.Kind.CITY))
        town = Town.objects.create(name=f"证书测试镇{tag}", kind=Town.Kind.TOWN)
        body = _tree(
            Organisation(
                name=f"共青团中山市证书测试委员会{tag}",
                kind=Organisation.Kind.BODY,
                body_kind=Organisation.BodyKind.TERRITORIAL,
                parent=city,
                town=town,
            )
        )
        collectives = Collective.objects.bulk_create(
            Collective(
                name=f"中山市证书测试单位{tag}第{i + 1:03d}号青年服务岗",
                work_unit=f"证书测试单位{i + 1}",
                body=body,
                town=town,
                ownership="party_government",
            )
            for i in range(n)
        )
        titles = Title.objects.bulk_create(
            Title(
                collective=c,
                level=Level.CITY,
                stars=1 + i % 3,
                session_no=22,
                year=2026,
                awarded_on=on,
            )
            for i, c in enumerate(collectives)
        )
        certs = Certificate.objects.bulk_create(
            Certificate(number=f"TMP{new_code(12)}", title=t, stars=t.stars, issued_on=on)
            for t in titles
        )
        for c in certs:
            c.number = number_for(on.year, c.pk)
        Certificate.objects.bulk_update(certs, ["number"])
    return body, certs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--singles", type=int, default=30)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from qnwmh.awards.documents.certificates import body_certificates_file, certificate_pdf
    from qnwmh.awards.models import Certificate
    from qnwmh.core.actor import Actor

    t0 = time.perf_counter()
    body, certs = generate(args.batch)
    print(
        f"{connection.vendor}: {args.batch} titles and certificates in {time.perf_counter() - t0:.1f} s"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(
        is_superuser=False
    ).first() or get_user_model().objects.create_user("bench_certs_city", password="x")
    city = Actor(user=user, roles=frozenset({"city_admin"}))

    certificate_pdf(certs[0], base_url=SITE)  # warm-up: fonts, Pango, templates
    times = []
    for cert in Certificate.objects.filter(
        pk__in=[c.pk for c in certs[: args.singles]]
    ).select_related("title__collective"):
        t0 = time.perf_counter()
        size = len(certificate_pdf(cert, base_url=SITE))
        times.append(time.perf_counter() - t0)
    print(
        f"single certificate: median {statistics.median(times) * 1000:.0f} ms "
        f"(p90 {sorted(times)[int(len(times) * 0.9) - 1] * 1000:.0f} ms), "
        f"{len(times) / sum(times):.1f} PDFs/s, {size / 1024:.0f} KB each; peak RSS {rss_mb():.0f} MB"
    )

    t0 = time.perf_counter()
    response = body_certificates_file(city, body, SITE)
    took = time.perf_counter() - t0
    print(
        f"body batch: {args.batch} certificates, {len(response.content) / 2**20:.1f} MB in {took:.1f} s "
        f"= {args.batch / took:.1f} pages/s; peak RSS {rss_mb():.0f} MB"
    )
    tracemalloc.start()
    t0 = time.perf_counter()
    body_certificates_file(city, body, SITE)
    traced = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"body batch under tracemalloc: {traced:.1f} s, peak Python memory {peak / 2**20:.0f} MB; "
        f"peak RSS {rss_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
