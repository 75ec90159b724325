"""Upload of a 10 MB phone photo end to end (issue 5): time and peak memory.

    .venv/bin/python bench/evidence_upload.py

Builds a throw-away SQLite database and media folder (a body, a registered collective in the
current cycle, its manager and one creation-log entry), serves it with gunicorn in production
mode (one sync worker, so the worker's peak memory is the upload's), takes an API token as the
manager, then POSTs the photo as ``multipart/form-data`` to
``/api/v1/creation/<code>/entries/<entry>/evidence``, as the phone client does, ``--uploads``
times. Each upload goes the whole way: request parsing and spooling to a temporary file, size
and SHA-256, magic-byte sniff, header-only pixel check, full decode, EXIF capture time,
orientation, re-encode from bare pixels, thumbnail, storage write, row, audit entry, JSON
answer. The 2nd and later uploads are the same bytes, so they are also flagged as duplicates.

The photo is a 4000×3000 JPEG of 2×2-pixel noise blocks (photo-like entropy that does not
compress away) with GPS EXIF, at the highest JPEG quality that stays within ``--megabytes`` MiB.
Prints each upload's wall time as the client sees it, the worker's resident memory before the
first upload and its peak (VmHWM) after the last, and what was stored.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def big_photo(megabytes: float) -> bytes:
    from PIL import Image

    small = Image.frombytes("RGB", (2000, 1500), os.urandom(2000 * 1500 * 3))
    image = small.resize((4000, 3000), Image.Resampling.NEAREST)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 31.0, 1.0), 3: "E", 4: (113.0, 23.0, 1.0)})
    exif[0x0132] = "2026:11:20 10:30:00"  # DateTime: the capture time the platform keeps
    for quality in range(97, 60, -1):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
        if out.tell() <= megabytes * 1024 * 1024:
            return out.getvalue()
    raise SystemExit("could not make a photo that small")


def setup_data() -> tuple[str, str, str]:
    """The manager's username, the collective's code and the entry's code."""
    from django.core.management import call_command
    from django.utils import timezone

    from qnwmh.core.actor import Role
    from qnwmh.creation import services
    from tests import creation_helpers as ch
    from tests import factories as f

    call_command("migrate", verbosity=0)
    body = f.body()
    collective = f.collective(body, members=12)
    manager = f.user("bench_manager", Role.COLLECTIVE_MANAGER, collective=collective)
    cycle = ch.cycle()
    ch.register(collective, cycle)
    entry = services.entry_create(
        f.actor(manager),
        collective=collective,
        cycle=cycle,
        values={
            "kind": "open_week",
            "title": "青年开放周",
            "occurred_on": timezone.localdate(),
            "ends_on": None,
            "place": "服务大厅",
            "participants": 12,
            "description": "开放体验",
            "public": True,
        },
        files=[],
    )
    return manager.username, collective.code, entry.code


def multipart(field: str, filename: str, content_type: str, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--port", type=int, default=18767)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="qnwmh-upload-"))
    os.environ.pop("DATABASE_URL", None)  # the embedded SQLite database in DATA_DIR
    os.environ.update(DATA_DIR=str(tmp), MEDIA_ROOT=str(tmp / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qnwmh.settings")
    import django

    django.setup()
    from bench.run import HOST, api_token, server_env, start_server, stop_server
    from tests.factories import PASSWORD

    username, collective, entry = setup_data()
    data = big_photo(args.megabytes)
    print(f"photo: {len(data):,} bytes ({len(data) / 2**20:.2f} MiB), 4000×3000, GPS EXIF")

    env = server_env(tmp)
    env["MEDIA_ROOT"] = str(tmp / "media")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    proc = start_server(env, args.port, workers=1, threads=1)
    try:
        worker = int(subprocess.check_output(["pgrep", "-P", str(proc.pid)], text=True).split()[0])
        token = api_token(args.port, username, PASSWORD)
        rss_before = memory_kb(worker, "VmRSS")
        url = f"/api/v1/creation/{collective}/entries/{entry}/evidence"
        times = []
        for i in range(args.uploads):
            body, boundary = multipart("files", f"IMG_{i:04d}.jpg", "image/jpeg", data)
            conn = http.client.HTTPConnection(HOST, args.port, timeout=120)
            start = time.perf_counter()
            conn.request(
                "POST",
                url,
                body=body,
                headers={
                    "Authorization": token,
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
            response = conn.getresponse()
            answer = response.read()
            times.append(time.perf_counter() - start)
            conn.close()
            if response.status != 201:
                raise SystemExit(f"upload {i + 1}: HTTP {response.status} {answer[:300]!r}")
            stored = json.loads(answer)[0]
            print(f"upload {i + 1}: {times[-1]:.2f} s → {stored}")
        peak = memory_kb(worker, "VmHWM")
    finally:
        stop_server(proc)
    print(
        f"\n| uploads | first | median | best | worker RSS before | worker peak RSS |\n"
        f"| ---: | ---: | ---: | ---: | ---: | ---: |\n"
        f"| {len(times)} | {times[0]:.2f} s | {statistics.median(times):.2f} s | "
        f"{min(times):.2f} s | {rss_before / 1024:.0f} MB | {peak / 1024:.0f} MB |"
    )
    stored_files = [p for p in (tmp / "media").rglob("*") if p.is_file()]
    print(
        f"stored: {len(stored_files)} files, "
        f"{sum(p.stat().st_size for p in stored_files) / 2**20:.1f} MiB (originals re-encoded "
        "without metadata, plus thumbnails)"
    )


if __name__ == "__main__":
    main()
