from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qnwmh.awards.services.notice import remind


class Command(BaseCommand):
    help = (
        "Tell city staff of public notices that ended yesterday and of objections due today "
        "or overdue (run once a day from cron; notices open and end by their dates anyway)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = remind(today=options["date"])
        self.stdout.write(
            f"{counts['ended']} notice(s) ended, {counts['due']} objection(s) due or overdue"
        )
