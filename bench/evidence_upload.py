"""Upload of a ~10 MB photo end to end through ``store_upload`` (content check, decode,
orientation, re-encode without metadata, thumbnail, SHA-256, storage, row, audit).

Run: ``.venv/bin/python bench/evidence_upload.py`` (uses a throw-away SQLite database and
media folder). Prints wall time per upload and peak memory (Python allocations and RSS)."""

from __future__ import annotations

import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.mkdtemp(prefix="qnwmh-bench-")
os.environ.update(DATA_DIR=tmp, MEDIA_ROOT=f"{tmp}/media", DJANGO_SETTINGS_MODULE="qnwmh.settings")

import django  # noqa: E402

django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

call_command("migrate", verbosity=0)

from qnwmh.accounts.models import Role  # noqa: E402
from tests import factories as f  # noqa: E402


def big_photo(target_mb: float = 10.0) -> bytes:
    """A noisy 4000×3000 JPEG (noise does not compress), GPS EXIF, about target_mb MB."""
    # Random blocks of 4×4 pixels: photo-like entropy at 4000×3000 and about 10 MB as JPEG.
    small = Image.frombytes("RGB", (1000, 750), os.urandom(1000 * 750 * 3))
    image = small.resize((4000, 3000), Image.Resampling.NEAREST)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 31.0, 1.0)})
    for quality in (97, 95, 92, 90, 85, 80, 70):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
        if out.tell() <= target_mb * 1024 * 1024:
            return out.getvalue()
    return out.getvalue()


def main() -> None:
    from qnwmh.evidence.services import store_upload

    body = f.body()
    collective = f.collective(body, members=0)
    user = f.user("bench", Role.BODY_ADMIN, organisation=body)
    actor = f.actor(user)
    data = big_photo()
    print(f"photo: {len(data) / 1024 / 1024:.1f} MB, {Image.open(io.BytesIO(data)).size}")
    times = []
    peak_py = 0
    for i in range(3):
        upload = SimpleUploadedFile(f"IMG_{i}.jpg", data)  # 2nd and 3rd: flagged duplicates
        tracemalloc.start()
        start = time.perf_counter()
        ev = store_upload(actor, uploaded_file=upload, collective=collective, purpose="bench")
        times.append(time.perf_counter() - start)
        peak_py = max(peak_py, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        print(
            f"upload {i + 1}: {times[-1]:.2f} s → stored {ev.stored_size / 1024:.0f} KB "
            f"{ev.width}×{ev.height}, duplicate_of={ev.duplicate_of_id}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"median {sorted(times)[1]:.2f} s; peak Python allocations {peak_py / 1024 / 1024:.0f} MB; "
        f"peak RSS of the process {rss:.0f} MB"
    )


main()
