"""A file function for tests/test_worker.py: its first run stalls (so the worker can be killed
in the middle of it), every later run builds the file at once."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.http import HttpResponse

from qnwmh.core.background import counted


def slow_first_file(actor: Any, *, rows: int) -> HttpResponse:
    mark = Path(os.environ["WORKER_JOB_MARK"])
    first = not mark.exists()
    lines = []
    for n in counted(range(rows)):
        lines.append(f"{actor.user.username},{n}\n")
        if first and n == rows // 2:
            mark.touch()
            time.sleep(120)  # killed here
    response = HttpResponse("".join(lines), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="rows.csv"'
    return response
