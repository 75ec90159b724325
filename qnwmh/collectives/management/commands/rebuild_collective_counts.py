"""Recompute the kept collective counts (``CollectiveCount``) from the collectives,
set-based.

The writes keep them current; this is for repair and after bulk loads made outside them
(the demo, the bench generators). Safe to run at any time: one transaction per run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.collectives.counts import rebuild


class Command(BaseCommand):
    help = "Recompute the kept collective counts from the collectives."

    def handle(self, *args: Any, **options: Any) -> None:
        n = rebuild()
        self.stdout.write(f"{n} collective counts rebuilt")
