from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qnwmh.oversight.services.rectification import deadlines


class Command(BaseCommand):
    help = (
        "Mark rectification orders past their deadline without a report as missed (which "
        "proposes revocation to the city) and remind managers 7 and 1 days before a deadline. "
        "Run once a day from cron; running it again the same day does nothing more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = deadlines(options["date"])
        self.stdout.write(f"{counts['missed']} missed, {counts['reminded']} reminded")
