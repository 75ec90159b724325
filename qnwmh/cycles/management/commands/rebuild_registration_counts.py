"""Recompute the kept registration counts (``RegistrationCount``) from the registrations, for
all cycles or ``--cycle CODE``, set-based.

The services keep them current; this is for repair and after bulk loads made outside them
(the demo, the bench generators). Safe to run at any time: one transaction per run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qnwmh.cycles.counts import rebuild
from qnwmh.cycles.models import Cycle


class Command(BaseCommand):
    help = "Recompute the kept registration counts from the registrations."

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
        self.stdout.write(f"{n} registration counts rebuilt")
