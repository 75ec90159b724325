"""Import and export at scale (issue 3): a 10,000-collective / 100,000-member workbook through
the importing services (check + preview, then apply), and a 100,000+-row roster export through
the streaming writer. Prints seconds, rows/s and peak memory.

    createdb -h 127.0.0.1 -p 55450 -U postgres p15d_sheets
    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p15d_sheets .venv/bin/python bench/spreadsheets.py

The roster exports (20,000 and 200,000 rows by default) run first, so the peak RSS they print
is theirs; a run with fewer rows in the database exports what there is. Each run adds
10,000 collectives, so the second run on a fresh database has 200,000 roster rows.

The database gets migrations and the demo when empty; the imported names carry a run tag, so
the script may run again on the same database.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import rss_mb  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from qnwmh.access.actor import actor_for  # noqa: E402
from qnwmh.accounts.models import User  # noqa: E402
from qnwmh.collectives.importing.columns import COLLECTIVE_COLUMNS, MEMBER_COLUMNS  # noqa: E402
from qnwmh.collectives.importing.services import import_apply, import_upload  # noqa: E402
from qnwmh.collectives.selectors import CollectiveFilters  # noqa: E402
from qnwmh.core.xlsx import write_workbook  # noqa: E402
from qnwmh.orgs.models import Organisation  # noqa: E402


def build_workbook(tag: str, collectives: int, members_each: int) -> bytes:
    bodies = list(Organisation.objects.filter(body_kind="territorial").select_related("town"))
    c_head = [c.header for c in COLLECTIVE_COLUMNS]
    m_head = [c.header for c in MEMBER_COLUMNS]

    def collective_rows():
        for i in range(collectives):
            body = bodies[i % len(bodies)]
            values = {
                "集体名称": f"{tag}青年集体{i:05d}",
                "所在单位": f"中山市测试单位{i}",
                "组织管理机构": body.name,
                "所在镇区": body.town.name,
                "行业系统": "",
                "单位性质": "非公企业" if i % 3 == 0 else "事业单位",
                "地址": "",
                "监督电话": "0760-88888888",
                "监督邮箱": "jd@example.cn",
                "服务承诺": "热情服务",
            }
            yield [values[h] for h in c_head]

    def member_rows():
        for i in range(collectives):
            body = bodies[i % len(bodies)]
            for j in range(members_each):
                values = {
                    "组织管理机构": body.name,
                    "集体名称": f"{tag}青年集体{i:05d}",
                    "姓名": f"成员{i:05d}{j:02d}",
                    "出生日期": f"{1990 + j % 10}-0{1 + j % 9}-1{j % 9}",
                    "国籍": "中国",
                    "岗位": "窗口",
                    "手机号": f"139{i:05d}{j:03d}",
                    "号长": "是" if j == 0 else "否",
                }
                yield [values[h] for h in m_head]

    buf = io.BytesIO()
    write_workbook(buf, [("集体", c_head, collective_rows()), ("成员", m_head, member_rows())])
    return buf.getvalue()


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (the server runs on this
    machine; 0 elsewhere or on SQLite, whose work is in this process's own CPU time)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def export(actor: Any, rows: int) -> None:
    """The roster export's own path (``members_file``: rows from the server-side cursor,
    masking, the writer, the audit entry), its rows cut at ``rows``, drained as the
    response would be."""
    from qnwmh.collectives import exports

    full = exports._member_rows

    def first_rows(*args: Any) -> Any:
        return itertools.islice(full(*args), rows)

    exports._member_rows = first_rows  # type: ignore[assignment]
    try:
        before = rss_mb()
        t0, c0, s0 = time.perf_counter(), time.process_time(), server_cpu()
        response = exports.members_file(actor, CollectiveFilters())
        size = sum(len(chunk) for chunk in response.streaming_content)
        took = time.perf_counter() - t0
        cpu = time.process_time() - c0 + server_cpu() - s0
    finally:
        exports._member_rows = full  # type: ignore[assignment]
    from qnwmh.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(code="collectives.member.exported").order_by("-id").first()
    written = entry.data.get("rows") if entry else 0
    print(
        f"export: {written:,} member rows, {size / 2**20:.1f} MB in {took:.1f} s = "
        f"{written / took:,.0f} rows/s (target >= 20,000); CPU here + server {cpu:.1f} s = "
        f"{written / cpu:,.0f} rows/s of CPU; peak RSS {before:.0f} -> {rss_mb():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collectives", type=int, default=10_000)
    parser.add_argument("--members-each", type=int, default=10)
    parser.add_argument(
        "--export-rows",
        type=int,
        nargs="*",
        default=[20_000, 200_000],
        help="roster export sizes, run first (in a fresh process, so peak RSS means something)",
    )
    parser.add_argument("--no-import", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--if-empty", verbosity=0)
    actor = actor_for(User.objects.get(username="city_admin"), "127.0.0.1")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for rows in args.export_rows:
        export(actor, rows)
    if args.no_import:
        return
    tag = f"B{int(time.time()) % 100000}"

    t0 = time.perf_counter()
    data = build_workbook(tag, args.collectives, args.members_each)
    print(
        f"workbook: {args.collectives} collectives, {args.collectives * args.members_each} members, "
        f"{len(data) / 2**20:.1f} MB, built in {time.perf_counter() - t0:.1f} s"
    )

    # The worker's two steps (importing.background runs these services).
    # Wall time, and this process's CPU time: on a shared machine the second says what an idle
    # one would give (the database server's own work is not in it).
    t0, c0, s0 = time.perf_counter(), time.process_time(), server_cpu()
    batch = import_upload(actor, upload=SimpleUploadedFile("bench.xlsx", data))
    checked, checked_cpu = time.perf_counter() - t0, time.process_time() - c0
    checked_cpu += server_cpu() - s0
    print(
        f"import check + preview: {checked:.1f} s (CPU here + server {checked_cpu:.1f} s), "
        f"status {batch.status}, errors {len(batch.errors or [])}"
    )
    t0, c0, s0 = time.perf_counter(), time.process_time(), server_cpu()
    batch = import_apply(actor, batch=batch)
    applied, applied_cpu = time.perf_counter() - t0, time.process_time() - c0
    applied_cpu += server_cpu() - s0
    print(
        f"import apply: {applied:.1f} s (CPU here + server {applied_cpu:.1f} s), "
        f"status {batch.status}"
    )
    print(
        f"import total: {checked + applied:.1f} s (CPU {checked_cpu + applied_cpu:.1f} s; "
        f"target <= 60 s); peak RSS {rss_mb():.0f} MB"
    )
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
