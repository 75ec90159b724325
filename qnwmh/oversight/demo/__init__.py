"""Oversight demo: a finished re-review with every outcome, one in progress, a spot check
with its visits, sanctions, rectifications and exits — each part builds its own."""

from __future__ import annotations

from typing import Any

from qnwmh.oversight.demo import review, sanctions, spotcheck, standard


def build(ctx: Any) -> None:
    for part in (standard, review, spotcheck, sanctions):
        part.build(ctx)
