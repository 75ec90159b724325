from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.actor import system_actor
from qnwmh.supervision.services import anonymise_expired


class Command(BaseCommand):
    help = "Blank filers' names and phones after the retention period (run daily from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = anonymise_expired(system_actor())
        self.stdout.write(f"anonymised {count} complaint(s)")
