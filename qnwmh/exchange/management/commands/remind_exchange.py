from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qnwmh.core.actor import system_actor
from qnwmh.exchange.services import remind


class Command(BaseCommand):
    help = (
        "Tell invited collectives that an exchange event's registration closes in two days, "
        "and remind the sides of a mutual visit that have not appraised each other a week and "
        "two weeks after it. Run once a day from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind(system_actor(), today=options["date"])
        self.stdout.write(f"{sent} reminded")
