"""Recompute every derived creation row (compliance tallies, month counts, creating
memberships) from the records, for all cycles or ``--cycle CODE``, set-based.

The services keep them current; this is for repair and after bulk loads made outside them
(the demo, the bench generators). Safe to run at any time: one transaction per run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qnwmh.creation.tallies import rebuild
from qnwmh.cycles.models import Cycle


class Command(BaseCommand):
    help = "Recompute the derived creation rows (tallies, months, memberships) from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", default="", help="only this cycle (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle_id = None
        if options["cycle"]:
            cycle = Cycle.objects.filter(code=options["cycle"]).first()
            if cycle is None:
                raise CommandError(f"no cycle with code {options['cycle']!r}")
            cycle_id = cycle.pk
        n = rebuild(cycle_id)
        self.stdout.write(f"{n} tallies rebuilt")
